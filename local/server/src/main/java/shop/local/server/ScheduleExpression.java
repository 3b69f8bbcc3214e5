package shop.local.server;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge schedule expression as the local run follows it: {@code rate(15 minutes)},
 * and the {@code cron(...)} expressions that fire at given minutes of given hours every day
 * ({@code cron(0 7 * * ? *)}, {@code cron(0/30 * * * ? *)}), in UTC as EventBridge's are.
 * Crons that name days, months or years are not followed locally: {@link #parse} says so.
 */
final class ScheduleExpression {
    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");
    private static final Pattern CRON = Pattern.compile("cron\\((\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (\\S+)\\)");

    private final String text;
    private final Optional<Duration> rate;
    private final TreeSet<Integer> minutes;
    private final TreeSet<Integer> hours;

    private ScheduleExpression(String text, Optional<Duration> rate, TreeSet<Integer> minutes, TreeSet<Integer> hours) {
        this.text = text;
        this.rate = rate;
        this.minutes = minutes;
        this.hours = hours;
    }

    /** The expression; one the local run cannot follow is refused with the reason. */
    static ScheduleExpression parse(String text) {
        String trimmed = text.trim();
        Matcher rate = RATE.matcher(trimmed);
        if (rate.matches()) {
            long amount = Long.parseLong(rate.group(1));
            if (amount < 1) {
                throw new IllegalArgumentException(text + ": a rate is at least 1");
            }
            ChronoUnit unit = switch (rate.group(2).toLowerCase(Locale.ROOT)) {
                case "minute", "minutes" -> ChronoUnit.MINUTES;
                case "hour", "hours" -> ChronoUnit.HOURS;
                default -> ChronoUnit.DAYS;
            };
            return new ScheduleExpression(trimmed, Optional.of(Duration.of(amount, unit)), null, null);
        }
        Matcher cron = CRON.matcher(trimmed);
        if (!cron.matches()) {
            throw new IllegalArgumentException(text + ": not an EventBridge rate(...) or cron(...) expression");
        }
        for (int field = 3; field <= 6; field++) {
            if (!cron.group(field).equals("*") && !cron.group(field).equals("?")) {
                throw new IllegalArgumentException(text + ": the local run follows daily crons only (days, months and"
                        + " years * or ?)");
            }
        }
        return new ScheduleExpression(trimmed, Optional.empty(), values(cron.group(1), 59, text), values(cron.group(2), 23, text));
    }

    /** The first time after {@code now} the schedule fires. */
    Instant next(Instant now) {
        if (rate.isPresent()) {
            return now.plus(rate.get());
        }
        ZonedDateTime at = now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        while (!hours.contains(at.getHour()) || !minutes.contains(at.getMinute())) {
            at = hours.contains(at.getHour()) ? at.plusMinutes(1) : at.truncatedTo(ChronoUnit.HOURS).plusHours(1);
        }
        return at.toInstant();
    }

    @Override
    public String toString() {
        return text;
    }

    /** {@code *}, {@code n} and {@code a-b}, each optionally followed by {@code /step}, and comma lists of them. */
    private static TreeSet<Integer> values(String field, int max, String text) {
        TreeSet<Integer> values = new TreeSet<>();
        for (String part : field.split(",")) {
            String[] stepped = part.split("/", 2);
            int step = stepped.length == 2 ? number(stepped[1], 1, max, text) : 1;
            int from;
            int to;
            if (stepped[0].equals("*")) {
                from = 0;
                to = max;
            } else if (stepped[0].contains("-")) {
                String[] range = stepped[0].split("-", 2);
                from = number(range[0], 0, max, text);
                to = number(range[1], from, max, text);
            } else {
                from = number(stepped[0], 0, max, text);
                to = stepped.length == 2 ? max : from;
            }
            for (int value = from; value <= to; value += step) {
                values.add(value);
            }
        }
        return values;
    }

    private static int number(String value, int min, int max, String text) {
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // Explained below.
        }
        throw new IllegalArgumentException(text + ": '" + value + "' is not a number from " + min + " to " + max);
    }
}
