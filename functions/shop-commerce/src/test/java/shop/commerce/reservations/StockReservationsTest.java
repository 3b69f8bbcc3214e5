package shop.commerce.reservations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import shop.commerce.testing.Crash;
import shop.commerce.testing.InMemoryProductStore;
import shop.commerce.testing.InMemoryReservationStore;
import shop.local.stack.MutableClock;
import shop.commerce.testing.Samples;
import shop.core.retention.RetentionSchedule;

class StockReservationsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final InMemoryProductStore products = new InMemoryProductStore().with(
            Samples.product("RING-ARIA", 18500, 1), Samples.product("EAR-COMET", 7500, 3));
    private final InMemoryReservationStore store = new InMemoryReservationStore(products);
    private final StockReservations reservations = new StockReservations(store, clock);

    @Test
    void reservingTakesTheStockOfEveryLineWithAnOpenReservation() {
        Reservation reservation = reservations.reserve(List.of(new ReservedLine("RING-ARIA", 1), new ReservedLine("EAR-COMET", 2)));

        assertEquals(0, products.stock("RING-ARIA"));
        assertEquals(1, products.stock("EAR-COMET"));
        var stored = store.find(reservation.id()).orElseThrow();
        assertEquals(Reservation.Status.OPEN, stored.status());
        assertEquals(List.of(new ReservedLine("RING-ARIA", 1), new ReservedLine("EAR-COMET", 2)), stored.lines());
        assertEquals(clock.instant().plus(Duration.ofDays(4)).getEpochSecond(), store.expiresAt.get(reservation.id()));
        assertEquals(RetentionSchedule.CHECKOUT_RESERVATION.expiresAt(clock.instant()), store.expiresAt.get(reservation.id()));
    }

    @Test
    void aSoldOutLineTakesNothingAndWritesNoReservation() {
        var soldOut = assertThrows(SoldOutException.class, () -> reservations.reserve(
                List.of(new ReservedLine("EAR-COMET", 2), new ReservedLine("RING-ARIA", 1), new ReservedLine("RING-ARIA-X", 1))));
        assertEquals("RING-ARIA-X", soldOut.sku());
        assertEquals(3, products.stock("EAR-COMET"));
        assertEquals(1, products.stock("RING-ARIA"));
        assertTrue(store.reservations.isEmpty());
    }

    @Test
    void releasingTwiceGivesBackOnce() {
        Reservation reservation = reservations.reserve(List.of(new ReservedLine("EAR-COMET", 2)));

        reservations.release(reservation.id());
        reservations.release(reservation.id());

        assertEquals(3, products.stock("EAR-COMET"));
        assertEquals(Reservation.Status.RELEASED, store.find(reservation.id()).orElseThrow().status());
    }

    @Test
    void aSoldReservationNeverGivesItsPiecesBack() {
        Reservation reservation = reservations.reserve(List.of(new ReservedLine("RING-ARIA", 1)));

        store.sell(reservation.id());
        reservations.release(reservation.id());

        assertEquals(0, products.stock("RING-ARIA"));
        assertEquals(Reservation.Status.SOLD, store.find(reservation.id()).orElseThrow().status());
    }

    @Test
    void aPendingBankPaymentKeepsTheReservationAsLongAsAnUnpaidOrder() {
        Reservation reservation = reservations.reserve(List.of(new ReservedLine("RING-ARIA", 1)));
        clock.advance(Duration.ofHours(1));

        reservations.keepWhilePaymentPending(reservation.id());

        assertEquals(RetentionSchedule.ORDER_UNPAID.expiresAt(clock.instant()), store.expiresAt.get(reservation.id()));
    }

    @Test
    void anAbandonedCheckoutsStockComesBackOnceAndNothingElseIsTouched() {
        Reservation abandoned = reservations.reserve(List.of(new ReservedLine("RING-ARIA", 1)));
        Reservation beingPaid = reservations.reserve(List.of(new ReservedLine("EAR-COMET", 1)));
        reservations.attachSession(beingPaid.id(), "cs_test_being_paid");
        Reservation paid = reservations.reserve(List.of(new ReservedLine("EAR-COMET", 1)));
        store.sell(paid.id());
        clock.advance(Duration.ofMinutes(10));
        Reservation running = reservations.reserve(List.of(new ReservedLine("EAR-COMET", 1)));

        var result = reservations.releaseAbandoned(Duration.ofMinutes(5));
        var again = reservations.releaseAbandoned(Duration.ofMinutes(5));

        assertEquals(new StockReservations.AbandonedRelease(1, 0), result);
        assertEquals(new StockReservations.AbandonedRelease(0, 0), again);
        assertEquals(1, products.stock("RING-ARIA"), "the abandoned piece is for sale again, once");
        assertEquals(0, products.stock("EAR-COMET"), "a page handed out, a sale and a checkout still running keep theirs");
        assertEquals(Reservation.Status.RELEASED, store.find(abandoned.id()).orElseThrow().status());
        assertEquals(Reservation.Status.OPEN, store.find(beingPaid.id()).orElseThrow().status());
        assertEquals(Reservation.Status.OPEN, store.find(running.id()).orElseThrow().status());
    }

    @Test
    void aReleaseThatFailsLeavesTheReservationOpenForTheAbandonedCheckoutsRunWhichGivesItBackOnce() {
        var releaseRefused = new StockReservations(
                Crash.once(ReservationStore.class, store, "release", Crash.At.INSTEAD_OF), clock);
        Reservation reservation = releaseRefused.reserve(List.of(new ReservedLine("EAR-COMET", 2)));

        assertThrows(IllegalStateException.class, () -> releaseRefused.release(reservation.id()));
        assertEquals(1, products.stock("EAR-COMET"), "nothing given back, and the reservation still holds it");
        assertEquals(Reservation.Status.OPEN, store.find(reservation.id()).orElseThrow().status());
        clock.advance(Duration.ofMinutes(6));
        reservations.releaseAbandoned(Duration.ofMinutes(5));
        reservations.releaseAbandoned(Duration.ofMinutes(5));
        reservations.release(reservation.id());

        assertEquals(3, products.stock("EAR-COMET"));
        assertEquals(Reservation.Status.RELEASED, store.find(reservation.id()).orElseThrow().status());
    }
}
