package shop.commerce.reservations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import shop.commerce.Ids;
import shop.core.logging.Log;
import shop.core.retention.RetentionSchedule;

/**
 * Holds one-of-a-kind stock for a checkout. A hold takes the stock of every line and writes the
 * reservation in one transaction, and a release gives it all back and closes the reservation in
 * another: a stop anywhere leaves all of it or none of it, and a repeat does nothing more.
 * <p>
 * One thing a transaction cannot cover: a checkout asks Stripe for its payment page after the
 * hold and notes the page's session on the reservation after that, and hands the page out only
 * then. A checkout that stopped in between leaves an open reservation without a session, which
 * nobody can pay; {@link #releaseAbandoned} gives its stock back later.
 */
public final class StockReservations {
    private final ReservationStore reservations;
    private final Clock clock;

    public StockReservations(ReservationStore reservations, Clock clock) {
        this.reservations = reservations;
        this.clock = clock;
    }

    /** Holds every line or none; a line that cannot be had is named by the {@link SoldOutException}. */
    public Reservation reserve(List<ReservedLine> lines) {
        return reserve(lines, List.of());
    }

    /**
     * Holds every line or none, counted against each client limit; past one of them a
     * {@link TooManyHoldsException}, with nothing held.
     */
    public Reservation reserve(List<ReservedLine> lines, List<HoldLimit> limits) {
        Instant now = clock.instant();
        var reservation = new Reservation(Ids.newId("res"), lines, Reservation.Status.OPEN, Optional.empty(), now);
        reservations.hold(reservation, RetentionSchedule.CHECKOUT_RESERVATION.expiresAt(now), limits);
        Log.info("stock_reserved", Map.of("reservationId", reservation.id(), "lines", lines.size()));
        return reservation;
    }

    public void attachSession(String reservationId, String sessionId) {
        attachSession(reservationId, sessionId, null);
    }

    public void attachSession(String reservationId, String sessionId, Reservation.Priced priced) {
        reservations.attachSession(reservationId, sessionId, priced);
    }

    public Optional<Reservation> find(String reservationId) {
        return reservations.find(reservationId);
    }

    /** Gives back whatever an open reservation holds; repeating it (or racing it) gives back nothing more. */
    public void release(String reservationId) {
        if (reservations.release(reservationId)) {
            Log.info("stock_released", Map.of("reservationId", reservationId));
        }
    }

    /**
     * Gives back the stock of every open reservation without a Checkout Session older than
     * {@code olderThan} (far longer than a checkout can run). One that cannot be released now is
     * left for the next run; the count of those is returned with the released ones.
     */
    public AbandonedRelease releaseAbandoned(Duration olderThan) {
        List<String> abandoned = reservations.openWithoutSession(clock.instant().minus(olderThan));
        int released = 0;
        int failed = 0;
        for (String id : abandoned) {
            try {
                if (reservations.release(id)) {
                    released++;
                }
            } catch (RuntimeException e) {
                failed++;
                Log.warn("abandoned_reservation_not_released", Map.of("reservationId", id,
                        "exception", e.getClass().getName()));
            }
        }
        var result = new AbandonedRelease(released, failed);
        Log.info("abandoned_reservations", Map.of("released", result.released(), "failed", result.failed()));
        return result;
    }

    /** What one {@link #releaseAbandoned} run did: reservations given back, and those left for the next run. */
    public record AbandonedRelease(int released, int failed) {}

    /**
     * A delayed payment method (bank debit) is pending: keep the reservation as long as an
     * unpaid order, so that a late failure can still give its stock back.
     */
    public void keepWhilePaymentPending(String reservationId) {
        reservations.keepUntil(reservationId, RetentionSchedule.ORDER_UNPAID.expiresAt(clock.instant()));
    }
}
