package shop.privacy;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One line of a request's audit trail: what happened, when, and which stores it touched. Written
 * once and never changed; it holds ids, counts and store names, never an address or a name.
 */
public record AuditEntry(Instant at, String event, List<String> stores, String detail) {
    private static final Pattern EVENT = Pattern.compile("[a-z_]{3,40}");

    public AuditEntry {
        if (at == null || event == null || !EVENT.matcher(event).matches()) {
            throw new IllegalArgumentException("An audit entry needs a time and an event name like \"verified\"");
        }
        stores = List.copyOf(stores);
        detail = detail == null ? "" : detail;
        if (detail.length() > 1000 || detail.chars().anyMatch(c -> c == '\n' || c == '\r')) {
            throw new IllegalArgumentException("An audit detail is one short line");
        }
    }

    public static AuditEntry of(Instant at, String event, String detail, Store... stores) {
        return new AuditEntry(at, event, java.util.Arrays.stream(stores).map(Store::logicalName).toList(), detail);
    }
}
