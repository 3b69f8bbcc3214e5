package shop.privacy;

import java.time.Instant;
import shop.core.retention.RetentionRule;
import shop.core.retention.RetentionSchedule;

/**
 * How long a request is kept in each of its states, in one place: the stored item's
 * {@code expiresAt} is set from here when the request is written and whenever a move changes
 * its rule (README's retention table, rows "Privacy request ...").
 *
 * <ul>
 *   <li>RECEIVED: {@link RetentionSchedule#PRIVACY_REQUEST_PENDING} (48 hours; the daily round expires it sooner);</li>
 *   <li>EXPIRED, never confirmed: {@link RetentionSchedule#PRIVACY_REQUEST_UNCONFIRMED} (90 days);</li>
 *   <li>confirmed (VERIFIED, COMPLETED, FAILED, LAPSED): {@link RetentionSchedule#PRIVACY_REQUEST} (3 years),
 *       the address only while it is open and at most until its due date
 *       ({@link RetentionSchedule#PRIVACY_REQUEST_ADDRESS}).</li>
 * </ul>
 * Every term runs from when the request was received.
 */
public final class RequestRetention {
    private RequestRetention() {
    }

    public static RetentionRule of(RequestStatus status) {
        return switch (status) {
            case RECEIVED -> RetentionSchedule.PRIVACY_REQUEST_PENDING;
            case EXPIRED -> RetentionSchedule.PRIVACY_REQUEST_UNCONFIRMED;
            case VERIFIED, COMPLETED, FAILED, LAPSED -> RetentionSchedule.PRIVACY_REQUEST;
        };
    }

    /** The stored item's {@code expiresAt} (epoch seconds) for a request received at {@code receivedAt}. */
    public static long expiresAt(RequestStatus status, Instant receivedAt) {
        return of(status).expiresAt(receivedAt);
    }

    /**
     * Whether a move changes how long the request is kept (confirmed, or expired unconfirmed),
     * so the store must set its {@code expiresAt} again.
     */
    public static boolean changes(RequestStatus from, RequestStatus to) {
        return !of(from).equals(of(to));
    }

    /**
     * Whether the daily round closes the request as LAPSED now, forgetting its address: it is
     * FAILED, or VERIFIED (its run stopped part-way, which the store's condition checks), and
     * its due date has come.
     */
    public static boolean lapses(PrivacyRequest request, Instant now) {
        return (request.status() == RequestStatus.FAILED || request.status() == RequestStatus.VERIFIED)
                && !now.isBefore(request.dueAt());
    }
}
