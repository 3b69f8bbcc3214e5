package shop.privacy;

import java.time.Instant;
import shop.core.admin.AdminAction;

/**
 * The claim an owner's "try again" makes on a request that failed (PrivacyRequestsTable with
 * the back office's AdminAuditTable), so that two presses at once run it once.
 */
public interface FailedRequests {
    /**
     * Moves the request from FAILED to VERIFIED with {@code entry} on its own trail and
     * {@code line} on the back office's, all three or none; false (nothing written) when it was
     * not FAILED when the write was made.
     */
    boolean claimForRetry(String requestId, Instant at, AuditEntry entry, AdminAction line);
}
