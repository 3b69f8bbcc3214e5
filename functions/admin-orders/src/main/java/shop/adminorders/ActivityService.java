package shop.adminorders;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import shop.core.admin.ActivityLog;
import shop.core.admin.AdminAction;
import shop.core.admin.AdminCaller;
import shop.core.errors.InvalidInputException;
import shop.core.retention.RetentionSchedule;

/**
 * The owner's activity view: what happened in the back office on one UTC day, across the whole
 * shop (shipments, refunds, price changes, accounts, campaigns, privacy requests), newest first,
 * each line naming who did it by their sign-in address, an order by its number, a campaign by its subject and a staff
 * account by its sign-in address. Owners only.
 */
public final class ActivityService {
    static final int DEFAULT_LIMIT = 50;
    private static final String ORDER = "ORDER#";
    private static final String STAFF = "STAFF#";
    private static final String CAMPAIGN = "CAMPAIGN#";
    static final String DAY_FIELD = "\"day\" is a UTC day like 2026-01-31, from the last 7 years up to today.";

    private final ActivityLog log;
    private final AdminNames names;
    private final OrderNumbers numbers;
    private final CampaignSubjects campaigns;
    private final Clock clock;

    public ActivityService(ActivityLog log, AdminNames names, OrderNumbers numbers, CampaignSubjects campaigns,
                           Clock clock) {
        this.log = log;
        this.names = names;
        this.numbers = numbers;
        this.campaigns = campaigns;
        this.clock = clock;
    }

    /**
     * The lines of {@code day} (today, UTC, when absent), up to {@code limit} (50 when absent, at
     * most 100), after the position of {@code page}, a token an earlier page of the same day
     * handed out. Its answer: {@code day}, {@code lines} and {@code nextPage} (null on the last page). A line about
     * an order carries the order's {@code number} in its subject, the orders of a page read at once (an order no longer
     * kept has none); a line about a campaign its {@code subject} as {@code name}, the campaigns of a page read at once
     * too (one no longer kept has none); a line about a staff account ({@code STAFF#<sub>}) its sign-in address as
     * {@code name} (an account deleted since has none).
     */
    public Map<String, Object> day(AdminCaller caller, Optional<String> day, Optional<String> limit,
                                   Optional<String> page) {
        caller.requireOwner();
        LocalDate listed = day(day);
        int size = PageSize.of(limit, DEFAULT_LIMIT);
        String list = "ACTIVITY#" + listed;
        ActivityLog.Page found = log.onDay(listed, size, PageToken.after(list, page));
        Map<String, String> orderNumbers = read(found.lines(), ORDER, numbers::of);
        Map<String, String> campaignSubjects = read(found.lines(), CAMPAIGN, campaigns::of);
        List<Map<String, Object>> lines = new ArrayList<>();
        for (AdminAction action : found.lines()) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("at", action.at().toString());
            line.put("by", person(action.actorName() == null ? action.actor() : action.actorName()));
            line.put("action", action.action());
            line.put("subject", subject(action.subject(), orderNumbers, campaignSubjects));
            line.put("before", action.before());
            line.put("after", action.after());
            lines.add(line);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("day", listed.toString());
        body.put("lines", lines);
        body.put("nextPage", found.next().map(key -> PageToken.encode(list, key)).orElse(null));
        return body;
    }

    private LocalDate day(Optional<String> day) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        if (day.isEmpty() || day.get().isEmpty()) {
            return today;
        }
        if (!day.get().matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
            throw new InvalidInputException("day", DAY_FIELD);
        }
        LocalDate parsed;
        try {
            parsed = LocalDate.parse(day.get());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("day", DAY_FIELD);
        }
        // No line is kept longer than the trail's retention: nothing to list before it.
        LocalDate oldest = LocalDate.ofInstant(clock.instant().minus(RetentionSchedule.ADMIN_AUDIT.keptFor().orElseThrow()),
                ZoneOffset.UTC);
        if (parsed.isBefore(oldest) || parsed.isAfter(today)) {
            throw new InvalidInputException("day", DAY_FIELD);
        }
        return parsed;
    }


    /**
     * What {@code reader} knows of the records of kind {@code prefix} the lines are about (orders' numbers, campaigns'
     * subjects), in one read; none asked for when no line is about one.
     */
    private static Map<String, String> read(List<AdminAction> lines, String prefix,
                                            Function<Collection<String>, Map<String, String>> reader) {
        Set<String> ids = new LinkedHashSet<>();
        for (AdminAction action : lines) {
            if (action.subject().startsWith(prefix)) {
                ids.add(action.subject().substring(prefix.length()));
            }
        }
        return ids.isEmpty() ? Map.of() : reader.apply(ids);
    }

    /**
     * {@code ORDER#cs_...} as {@code {kind: "order", id: "cs_...", number: "7KQ4-M2XD"}} (no number for an order no
     * longer kept), a campaign with its subject and a staff account with its sign-in address as {@code name} (none for
     * one no longer kept); a subject without a kind is all id.
     */
    private Map<String, String> subject(String subject, Map<String, String> orderNumbers,
                                        Map<String, String> campaignSubjects) {
        int hash = subject.indexOf('#');
        Map<String, String> named = new LinkedHashMap<>();
        String id = hash < 0 ? subject : subject.substring(hash + 1);
        named.put("kind", hash < 0 ? "" : subject.substring(0, hash).toLowerCase(Locale.ROOT));
        named.put("id", id);
        if (subject.startsWith(ORDER) && orderNumbers.containsKey(id)) {
            named.put("number", orderNumbers.get(id));
        } else if (subject.startsWith(CAMPAIGN) && campaignSubjects.containsKey(id)) {
            named.put("name", campaignSubjects.get(id));
        } else if (subject.startsWith(STAFF) && !id.contains("@")) {
            // STAFF#<sub>: the account by its sign-in address (each account asked once, see AdminNames).
            names.signInAddress(id).ifPresent(address -> named.put("name", address));
        }
        return named;
    }

    private String person(String username) {
        return names.signInAddress(username).orElse(username);
    }
}
