package shop.campaigns;

import java.util.List;
import java.util.Optional;

/** The confirmed subscribers, paged through the sparse index (never a scan of the table). */
public interface Audience {
    /** Up to {@code limit} address hashes after {@code after} (empty: from the start), and where to go on. */
    Page page(Optional<String> after, int limit);

    /**
     * How many confirmed subscribers the index holds now: the audience a campaign sent now would be queued from. An
     * upper bound of those mailed: the senders check the suppression list again at sending.
     */
    long count();

    record Page(List<String> addressHashes, Optional<String> next) {
    }
}
