package shop.commerce.reservations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import shop.commerce.Ids;
import shop.commerce.catalog.ProductStore;
import shop.core.logging.Log;
import shop.core.retention.RetentionSchedule;

/**
 * Holds one-of-a-kind stock for a checkout without transactions (the DynamoDB stand-in has
 * none, and they cost double): every step is a single-item conditional write, ordered so that a
 * crash can only ever leave a piece held too long, never sell it twice.
 * <ul>
 *   <li>take: the product's stock goes down first, then the hold is noted on the reservation;</li>
 *   <li>release: the hold is removed first (only one caller can), then the stock goes up.</li>
 * </ul>
 * A checkout hands out its payment page only once the reservation names the page's session, so
 * an open reservation without a session is one nobody can pay: when its checkout stopped (killed,
 * or unable to give the stock back), {@link #releaseAbandoned} gives the stock back later.
 */
public final class StockReservations {
    private final ProductStore products;
    private final ReservationStore reservations;
    private final Clock clock;

    public StockReservations(ProductStore products, ReservationStore reservations, Clock clock) {
        this.products = products;
        this.reservations = reservations;
        this.clock = clock;
    }

    /** Holds every line or none: a line that cannot be had releases the ones before it. */
    public Reservation reserve(List<ReservedLine> lines) {
        Instant now = clock.instant();
        var reservation = new Reservation(Ids.newId("res"), lines, Map.of(), Reservation.Status.OPEN,
                Optional.empty(), now);
        reservations.create(reservation, RetentionSchedule.CHECKOUT_RESERVATION.expiresAt(now));
        List<ReservedLine> taken = new ArrayList<>();
        List<ReservedLine> noted = new ArrayList<>();
        try {
            for (ReservedLine line : lines) {
                if (!products.take(line.sku(), line.quantity())) {
                    throw new SoldOutException(line.sku());
                }
                taken.add(line);
                reservations.markHeld(reservation.id(), line.sku(), line.quantity());
                noted.add(line);
            }
        } catch (RuntimeException e) {
            giveBackTaken(reservation.id(), taken, noted);
            throw e;
        }
        Log.info("stock_reserved", Map.of("reservationId", reservation.id(), "lines", lines.size()));
        return reservation;
    }

    /**
     * Undoes a reserve that failed part-way (a line sold out, or DynamoDB throttling one of the
     * writes) from what this call itself took, not from the record: a refused {@code markHeld}
     * leaves a piece taken that the record does not show, and the record may not be readable
     * either. As in {@link #release}, a noted hold is removed before its stock goes up; one that
     * cannot be removed stays noted on the open reservation, for {@link #releaseAbandoned} to give
     * back once, instead of being given back here and perhaps again there. A piece whose note was
     * refused is given back here, since no record shows it.
     */
    private void giveBackTaken(String reservationId, List<ReservedLine> taken, List<ReservedLine> noted) {
        int pieces = 0;
        boolean leftNoted = false;
        for (ReservedLine line : taken) {
            boolean wasNoted = noted.contains(line);
            boolean ours;
            try {
                ours = reservations.unhold(reservationId, line.sku()) || !wasNoted;
            } catch (RuntimeException e) {
                ours = !wasNoted;
                leftNoted |= wasNoted;
                Log.warn("hold_left_for_abandoned_checkouts", Map.of("reservationId", reservationId, "sku", line.sku(),
                        "exception", e.getClass().getName()));
            }
            if (ours && giveBackOrLog(reservationId, line)) {
                pieces += line.quantity();
            }
        }
        if (!leftNoted) {
            try {
                reservations.markReleased(reservationId);
            } catch (RuntimeException e) {
                // Nothing is held on it; an open record without holds changes nothing and is tidied later.
                Log.warn("reservation_not_marked_released", Map.of("reservationId", reservationId,
                        "exception", e.getClass().getName()));
            }
        }
        Log.info("stock_released", Map.of("reservationId", reservationId, "pieces", pieces));
    }

    private boolean giveBackOrLog(String reservationId, ReservedLine line) {
        try {
            products.giveBack(line.sku(), line.quantity());
            return true;
        } catch (RuntimeException e) {
            // Retried by the SDK already: the piece stays out of stock until the owner corrects it.
            Log.error("stock_not_given_back", Map.of("reservationId", reservationId, "sku", line.sku(),
                    "quantity", line.quantity(), "exception", e.getClass().getName()));
            return false;
        }
    }

    public void attachSession(String reservationId, String sessionId) {
        reservations.attachSession(reservationId, sessionId);
    }

    /**
     * Gives back whatever is still held; repeating it (or racing it) gives back nothing more. A
     * stock increment refused after its hold was removed is logged, not thrown: a retry would
     * find the hold gone and could not give it back either.
     */
    public void release(String reservationId) {
        Optional<Reservation> found = reservations.find(reservationId);
        if (found.isEmpty()) {
            return;
        }
        Reservation reservation = found.get();
        int pieces = 0;
        for (ReservedLine line : reservation.lines()) {
            if (reservations.unhold(reservationId, line.sku()) && giveBackOrLog(reservationId, line)) {
                pieces += line.quantity();
            }
        }
        if (reservation.status() == Reservation.Status.OPEN) {
            reservations.markReleased(reservationId);
        }
        Log.info("stock_released", Map.of("reservationId", reservationId, "pieces", pieces));
    }

    /**
     * Gives back the stock of every open reservation without a Checkout Session older than
     * {@code olderThan} (far longer than a checkout can run). One that cannot be released now is
     * left for the next run; the count of those is returned with the released ones.
     */
    public AbandonedRelease releaseAbandoned(Duration olderThan) {
        List<String> abandoned = reservations.openWithoutSession(clock.instant().minus(olderThan));
        int failed = 0;
        for (String id : abandoned) {
            try {
                release(id);
            } catch (RuntimeException e) {
                failed++;
                Log.warn("abandoned_reservation_not_released", Map.of("reservationId", id,
                        "exception", e.getClass().getName()));
            }
        }
        var result = new AbandonedRelease(abandoned.size() - failed, failed);
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

    /** The customer paid: the held pieces are theirs. */
    public void sell(String reservationId) {
        if (!reservations.markSold(reservationId)) {
            // Paid after its stock went back (an expiry or failure raced the payment) or after the
            // record expired: the owner must check whether the piece is still there.
            Log.error("paid_reservation_not_open", Map.of("reservationId", reservationId));
        }
    }
}
