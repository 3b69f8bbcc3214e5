package shop.core.admin;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The back office's audit trail read across the whole shop, one UTC day at a time, newest first:
 * what the owner's activity view shows. Only lines written since the trail records their day are
 * there (older lines are still read per record, through {@link AuditTrail#of}).
 */
public interface ActivityLog {

    /**
     * Up to {@code limit} lines of {@code day}, newest first, after the position {@code after} a
     * previous page handed out (its key attributes, as strings). A position that is not one this
     * log hands out for that day is the caller's mistake ({@code InvalidInputException} on "page").
     */
    Page onDay(LocalDate day, int limit, Optional<Map<String, String>> after);

    /** A page of lines and the position after its last line, when there may be more. */
    record Page(List<AdminAction> lines, Optional<Map<String, String>> next) {
        public Page {
            lines = List.copyOf(lines);
            next = next.map(Map::copyOf);
        }
    }
}
