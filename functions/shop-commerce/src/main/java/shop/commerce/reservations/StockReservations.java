package shop.commerce.reservations;

import java.time.Clock;
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
        try {
            for (ReservedLine line : lines) {
                if (!products.take(line.sku(), line.quantity())) {
                    throw new SoldOutException(line.sku());
                }
                taken.add(line);
                reservations.markHeld(reservation.id(), line.sku(), line.quantity());
            }
        } catch (RuntimeException e) {
            giveBackTaken(reservation.id(), taken);
            throw e;
        }
        Log.info("stock_reserved", Map.of("reservationId", reservation.id(), "lines", lines.size()));
        return reservation;
    }

    /**
     * Undoes a reserve that failed part-way (a line sold out, or DynamoDB throttling one of the
     * writes) from what this call itself took, not from the record: a throttled {@code markHeld}
     * leaves a piece taken that the record does not show, and the record may not be readable
     * either. No one else can release this reservation yet (no checkout session names it), so
     * giving back here cannot count twice; the record is then tidied as far as it can be.
     */
    private void giveBackTaken(String reservationId, List<ReservedLine> taken) {
        int pieces = 0;
        for (ReservedLine line : taken) {
            try {
                products.giveBack(line.sku(), line.quantity());
                pieces += line.quantity();
            } catch (RuntimeException e) {
                // Retried by the SDK already: the piece stays out of stock until the owner corrects it.
                Log.error("stock_not_given_back", Map.of("reservationId", reservationId, "sku", line.sku(),
                        "quantity", line.quantity(), "exception", e.getClass().getName()));
            }
        }
        try {
            for (ReservedLine line : taken) {
                reservations.unhold(reservationId, line.sku());
            }
            reservations.markReleased(reservationId);
        } catch (RuntimeException e) {
            // The stock is back; an untidy record has no session, changes nothing and expires with its TTL.
            Log.warn("reservation_not_marked_released", Map.of("reservationId", reservationId,
                    "exception", e.getClass().getName()));
        }
        Log.info("stock_released", Map.of("reservationId", reservationId, "pieces", pieces));
    }

    public void attachSession(String reservationId, String sessionId) {
        reservations.attachSession(reservationId, sessionId);
    }

    /** Gives back whatever is still held; repeating it (or racing it) gives back nothing more. */
    public void release(String reservationId) {
        Optional<Reservation> found = reservations.find(reservationId);
        if (found.isEmpty()) {
            return;
        }
        Reservation reservation = found.get();
        int pieces = 0;
        for (ReservedLine line : reservation.lines()) {
            if (reservations.unhold(reservationId, line.sku())) {
                products.giveBack(line.sku(), line.quantity());
                pieces += line.quantity();
            }
        }
        if (reservation.status() == Reservation.Status.OPEN) {
            reservations.markReleased(reservationId);
        }
        Log.info("stock_released", Map.of("reservationId", reservationId, "pieces", pieces));
    }

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
