package shop.commerce.reservations;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The checkout records (template.yaml's CheckoutsTable). Each method is one single-item
 * write, conditional where a repeat or a race must not count twice.
 */
public interface ReservationStore {
    /** Writes a new, still empty reservation that expires (TTL) at {@code expiresAt} epoch seconds. */
    void create(Reservation reservation, long expiresAt);

    Optional<Reservation> find(String id);

    /** Records that {@code sku}'s stock was taken for this reservation. */
    void markHeld(String id, String sku, int quantity);

    /** Removes the hold on {@code sku}; true only for the one call that removed it. */
    boolean unhold(String id, String sku);

    void attachSession(String id, String sessionId);

    /** Moves the record's TTL to {@code expiresAt} epoch seconds (a payment still pending). */
    void keepUntil(String id, long expiresAt);

    /** OPEN → RELEASED once its holds are gone. */
    void markReleased(String id);

    /**
     * The ids of reservations still {@code OPEN} with no Checkout Session noted that were created
     * before {@code createdBefore}: checkouts that stopped before handing out a payment page.
     */
    List<String> openWithoutSession(Instant createdBefore);

    /**
     * → SOLD, dropping every remaining hold so that nothing can give the pieces back.
     * Returns false when the reservation was already released (its pieces may have been sold
     * to someone else) or no longer exists.
     */
    boolean markSold(String id);
}
