package shop.privacy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;
import shop.core.email.EmailAddress;

/**
 * One request as stored. The address and any correction are held only while the request is
 * open; afterwards the keyed hash alone says whose it was.
 */
public record PrivacyRequest(String id, RequestType type, RequestStatus status, String addressHash,
                             Optional<EmailAddress> email, Optional<Correction> correction, String source,
                             Instant receivedAt, Instant dueAt, Optional<String> exportKey) {
    /** The answer is due one month after the request (GDPR art. 12(3)); 30 days is the short month. */
    public static final Duration DUE_AFTER = Duration.ofDays(30);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public PrivacyRequest {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("A request id is a UUID");
        }
        if (type == null || status == null || addressHash == null || addressHash.isBlank()
                || receivedAt == null || dueAt == null || source == null) {
            throw new IllegalArgumentException("A request needs a type, status, address hash, source and dates");
        }
        if (correction.isPresent() && type != RequestType.CORRECT) {
            throw new IllegalArgumentException("Only a correct request carries a correction");
        }
    }

    /** A new request, as it arrives. */
    public static PrivacyRequest received(String id, RequestType type, String addressHash, EmailAddress email,
                                          Optional<Correction> correction, String source, Instant at) {
        if ((type == RequestType.CORRECT) != correction.isPresent()) {
            throw new shop.core.errors.InvalidInputException("correction", type == RequestType.CORRECT
                    ? "A \"correct\" request needs \"correction\" with \"name\" and/or \"shippingAddress\"."
                    : "\"correction\" goes only with type \"correct\".");
        }
        return new PrivacyRequest(id, type, RequestStatus.RECEIVED, addressHash, Optional.of(email), correction,
                source, at, at.plus(DUE_AFTER), Optional.empty());
    }

    public PrivacyRequest withStatus(RequestStatus newStatus) {
        return new PrivacyRequest(id, type, newStatus, addressHash, email, correction, source, receivedAt, dueAt, exportKey);
    }

    /**
     * Whether {@code later}, a request of the same address made after this one, once carried out
     * answers this one: it asked about the same thing, the same or the opposite, so the person's
     * latest wish is done and this one, run again, would mail a second answer or undo that wish.
     * The same type (an account's button pressed again); an opt-out and a reactivation, either
     * way round; an opt-out after an unsubscribe (it unsubscribes too, where an unsubscribe leaves
     * an opt-out's deactivation to do); a correction of at least what this one would correct.
     */
    public boolean supersededBy(PrivacyRequest later) {
        if (!later.addressHash.equals(addressHash) || !receivedAt.isBefore(later.receivedAt)) {
            return false;
        }
        return switch (type) {
            case OPT_OUT, REACTIVATE -> later.type == RequestType.OPT_OUT || later.type == RequestType.REACTIVATE;
            case UNSUBSCRIBE -> later.type == RequestType.UNSUBSCRIBE || later.type == RequestType.OPT_OUT;
            // A correction an erasure forgot meanwhile is not compared (its request has no address to run with).
            case CORRECT -> later.type == RequestType.CORRECT && correction.isPresent() && later.correction.isPresent()
                    && later.correction.get().fields().keySet().containsAll(correction.get().fields().keySet());
            case ACCESS, DELETE -> later.type == type;
        };
    }

    /**
     * Still RECEIVED when its verification link no longer works: nobody can confirm it any more,
     * and the daily round expires it. Not one for the owner to act on.
     */
    public boolean linkExpired(Instant now) {
        return status == RequestStatus.RECEIVED && !receivedAt
                .plus(shop.core.retention.RetentionSchedule.PRIVACY_VERIFICATION_TOKEN.keptFor().orElseThrow()).isAfter(now);
    }

    /** Whole days until the due date, rounded up; 0 or less when overdue. */
    public long daysLeft(Instant now) {
        long seconds = Duration.between(now, dueAt).getSeconds();
        return seconds <= 0 ? -Duration.ofSeconds(-seconds).toDays() : (seconds + 86_399) / 86_400;
    }
}
