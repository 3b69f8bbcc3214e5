package shop.core.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How long one kind of stored data is kept. {@code store} is the logical id in template.yaml of
 * the table (items expire through its TTL attribute) or the bucket (objects expire through its
 * lifecycle rule) that holds it. {@code keptFor} empty means the data has no expiry and lives
 * until an event removes it ({@code until} says which); everything else expires.
 */
public record RetentionRule(String data, String store, Optional<Duration> keptFor, String until, String why) {
    public RetentionRule {
        if (keptFor.isEmpty() && (until == null || until.isBlank())) {
            throw new IllegalArgumentException("A rule without a TTL must say what ends it: " + data);
        }
    }

    static RetentionRule expiring(String data, String store, Duration keptFor, String why) {
        return new RetentionRule(data, store, Optional.of(keptFor), null, why);
    }

    static RetentionRule until(String data, String store, String until, String why) {
        return new RetentionRule(data, store, Optional.empty(), until, why);
    }

    /** The TTL attribute value (epoch seconds) for an item written at {@code now}. */
    public long expiresAt(Instant now) {
        return now.plus(keptFor.orElseThrow(() -> new IllegalStateException(data + " has no TTL"))).getEpochSecond();
    }

    public String keptForText() {
        return keptFor.map(RetentionRule::describe).orElse(until);
    }

    private static String describe(Duration duration) {
        if (duration.compareTo(Duration.ofHours(1)) < 0) {
            long minutes = duration.toMinutes();
            return minutes == 1 ? "1 minute" : minutes + " minutes";
        }
        long hours = duration.toHours();
        if (hours <= 72) {
            return hours == 1 ? "1 hour" : hours + " hours";
        }
        long days = duration.toDays();
        if (days % 365 == 0 && days >= 365) {
            return days / 365 == 1 ? "1 year" : days / 365 + " years";
        }
        return days + " days";
    }
}
