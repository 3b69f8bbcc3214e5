package shop.privacy.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import shop.core.admin.AdminAction;
import shop.privacy.AuditEntry;
import shop.privacy.FailedRequests;
import shop.privacy.RequestStatus;

/**
 * The claim in memory: FAILED, or VERIFIED with its run's start (its latest "verified" or
 * "retried" trail line, as verifiedAt and retriedAt in DynamoDB) no later than stalledBefore,
 * → VERIFIED with both trail lines; or nothing.
 */
public final class InMemoryFailedRequests implements FailedRequests {
    /** The back office's trail. */
    public final List<AdminAction> lines = new ArrayList<>();
    private final InMemoryRequestStore store;

    public InMemoryFailedRequests(InMemoryRequestStore store) {
        this.store = store;
    }

    @Override
    public boolean claimForRetry(String requestId, Instant at, Instant stalledBefore, AuditEntry entry,
                                 AdminAction line) {
        boolean claimed = store.transition(requestId, RequestStatus.FAILED, RequestStatus.VERIFIED, at)
                || store.find(requestId).filter(r -> r.status() == RequestStatus.VERIFIED).isPresent()
                && store.audit(requestId).stream().filter(e -> e.event().equals("verified") || e.event().equals("retried"))
                        .map(AuditEntry::at).max(Comparator.naturalOrder())
                        .filter(start -> !start.isAfter(stalledBefore)).isPresent();
        if (!claimed) {
            return false;
        }
        store.append(requestId, entry);
        lines.add(line);
        return true;
    }
}
