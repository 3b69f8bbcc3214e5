package shop.privacy;

import java.time.Instant;
import shop.core.admin.AdminAction;

/**
 * The claim an owner's "try again" makes on a request that failed, or whose run stopped part-way
 * (PrivacyRequestsTable with the back office's AdminAuditTable), so that two presses at once run
 * it once.
 */
public interface FailedRequests {
    /**
     * Makes the request VERIFIED, noting {@code at} as its run's start, with {@code entry} on its
     * own trail and {@code line} on the back office's, all three or none, when it is FAILED, or
     * VERIFIED with its run (from the link, or from an earlier claim) started no later than
     * {@code stalledBefore}; false, with nothing written, otherwise.
     */
    boolean claimForRetry(String requestId, Instant at, Instant stalledBefore, AuditEntry entry, AdminAction line);
}
