package shop.commerce.reservations;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The checkout records (template.yaml's CheckoutsTable) and the stock they hold. A reservation
 * and the stock of its lines move together, each move one DynamoDB transaction: a stop at any
 * point leaves either all of it or none of it.
 */
public interface ReservationStore {
    /**
     * Takes every line's stock and writes the reservation (OPEN, its TTL at {@code expiresAt}
     * epoch seconds), all or nothing.
     *
     * Each of {@code limits} lists the hold (one checkout, its pieces) in the same transaction,
     * with the client's open checkouts (its reservations still OPEN) within the limit; a
     * reservation that ended ({@link #release}, or its sale) no longer counts.
     *
     * @throws SoldOutException naming a line whose product is inactive or has fewer pieces than
     *         asked; nothing was taken
     * @throws TooManyHoldsException when a limit would be passed, naming that limit and the open
     *         reservations on its list when the list is full; nothing was taken
     */
    void hold(Reservation reservation, long expiresAt, List<HoldLimit> limits);

    Optional<Reservation> find(String id);

    /** Notes the session that pays for the reservation and what it was priced at ({@code priced} may be null). */
    void attachSession(String id, String sessionId, Reservation.Priced priced);

    /** Moves the record's TTL to {@code expiresAt} epoch seconds (a payment still pending). */
    void keepUntil(String id, long expiresAt);

    /**
     * OPEN → RELEASED with every line's stock given back, all or nothing. True only for the one
     * call that released it; false when it was not open (released already, sold, or gone).
     */
    boolean release(String id);

    /**
     * The ids of reservations still {@code OPEN} with no Checkout Session noted that were created
     * before {@code createdBefore}: checkouts that stopped before handing out a payment page.
     */
    List<String> openWithoutSession(Instant createdBefore);
}
