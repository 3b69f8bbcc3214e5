package shop.campaigns;

import java.util.List;
import java.util.Optional;

/** The confirmed subscribers, paged through the sparse index (never a scan of the table). */
public interface Audience {
    /** Up to {@code limit} address hashes after {@code after} (empty: from the start), and where to go on. */
    Page page(Optional<String> after, int limit);

    record Page(List<String> addressHashes, Optional<String> next) {
    }
}
