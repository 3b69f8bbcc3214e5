package shop.privacy.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import shop.core.admin.AdminAction;
import shop.privacy.AuditEntry;
import shop.privacy.FailedRequests;
import shop.privacy.RequestStatus;

/** The claim in memory: FAILED → VERIFIED with both trail lines, or nothing. */
public final class InMemoryFailedRequests implements FailedRequests {
    /** The back office's trail. */
    public final List<AdminAction> lines = new ArrayList<>();
    private final InMemoryRequestStore store;

    public InMemoryFailedRequests(InMemoryRequestStore store) {
        this.store = store;
    }

    @Override
    public boolean claimForRetry(String requestId, Instant at, AuditEntry entry, AdminAction line) {
        if (!store.transition(requestId, RequestStatus.FAILED, RequestStatus.VERIFIED, at)) {
            return false;
        }
        store.append(requestId, entry);
        lines.add(line);
        return true;
    }
}
