package shop.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import shop.commerce.orders.OrderEvents;
import shop.commerce.orders.OrderMessage;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.OrderStep;
import shop.commerce.orders.OrderStore;
import shop.commerce.reservations.Reservation;
import shop.commerce.reservations.ReservationStore;
import shop.commerce.reservations.ReservedLine;
import shop.commerce.reservations.StockReservations;
import shop.commerce.stats.OrderCounter;
import shop.commerce.testing.Crash;
import shop.commerce.testing.Crash.At;
import shop.commerce.testing.InMemoryOrderCounter;
import shop.commerce.testing.InMemoryOrderAccounts;
import shop.commerce.testing.InMemoryOrderStore;
import shop.commerce.testing.InMemoryProductStore;
import shop.commerce.testing.InMemoryReservationStore;
import shop.commerce.testing.RecordingOrderEvents;
import shop.commerce.testing.Samples;

/**
 * A paid checkout's webhook stopped at every write boundary (order put, stock sold, counter
 * increment, queue send, order marked done, event marked processed), then delivered again as
 * Stripe retries it: it always ends with one paid order, the piece sold once, one count and the
 * same order message (twice only when the stop fell between the queue send and marking the
 * order done; the notification's mail claims make that one mail of each kind).
 */
class WebhookWriteBoundariesTest {
    private static final String SESSION = "cs_test_boundary";

    static Stream<Arguments> boundaries() {
        return Stream.of(
                Arguments.of(OrderStore.class, "create", At.INSTEAD_OF, 1),
                Arguments.of(OrderStore.class, "create", At.RIGHT_AFTER, 1),
                Arguments.of(ReservationStore.class, "markSold", At.INSTEAD_OF, 1),
                Arguments.of(ReservationStore.class, "markSold", At.RIGHT_AFTER, 1),
                Arguments.of(OrderCounter.class, "count", At.INSTEAD_OF, 1),
                Arguments.of(OrderCounter.class, "count", At.RIGHT_AFTER, 1),
                Arguments.of(OrderEvents.class, "publish", At.INSTEAD_OF, 1),
                Arguments.of(OrderEvents.class, "publish", At.RIGHT_AFTER, 2),
                Arguments.of(OrderStore.class, "markDone", At.INSTEAD_OF, 2),
                Arguments.of(OrderStore.class, "markDone", At.RIGHT_AFTER, 1),
                Arguments.of(ProcessedEvents.class, "record", At.INSTEAD_OF, 1),
                Arguments.of(ProcessedEvents.class, "record", At.RIGHT_AFTER, 1));
    }

    @ParameterizedTest(name = "stopped {2} {0}.{1}")
    @MethodSource("boundaries")
    <T> void aRetryAfterAStopConvergesToOneOrderOneSaleOneCount(Class<T> port, String method, At at,
                                                                int messages) {
        Clock clock = Clock.systemUTC();
        var products = new InMemoryProductStore().with(Samples.product("RING-ARIA", 18500, 1));
        var reservationStore = new InMemoryReservationStore();
        var orders = new InMemoryOrderStore();
        var counter = new InMemoryOrderCounter();
        var events = new RecordingOrderEvents();
        var processed = new InMemoryProcessedEvents();
        Reservation reservation = new StockReservations(products, reservationStore, clock)
                .reserve(List.of(new ReservedLine("RING-ARIA", 1)));
        var stripe = new FakePaymentRecords();
        stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", reservation.id()));
        var service = new WebhookService(new StripeSignatureVerifier(() -> SignedEvents.SECRET, clock),
                broken(ProcessedEvents.class, processed, port, method, at), stripe,
                new OrderLifecycle(broken(OrderStore.class, orders, port, method, at), new InMemoryOrderAccounts(orders),
                        new StockReservations(products, broken(ReservationStore.class, reservationStore, port, method, at), clock),
                        broken(OrderCounter.class, counter, port, method, at),
                        broken(OrderEvents.class, events, port, method, at), clock));
        String payload = SignedEvents.sessionEvent("checkout.session.completed", SESSION);

        Throwable stopped = assertThrows(Throwable.class, () -> service.receive(payload, SignedEvents.signature(payload)));
        assertTrue(stopped instanceof Crash.Killed || stopped instanceof IllegalStateException, stopped.toString());
        WebhookService.Outcome retried = service.receive(payload, SignedEvents.signature(payload));

        assertEquals(port == ProcessedEvents.class && at == At.RIGHT_AFTER
                ? WebhookService.Outcome.DUPLICATE : WebhookService.Outcome.PROCESSED, retried);
        assertEquals(1, orders.orders.size());
        var order = orders.find(SESSION).orElseThrow();
        assertEquals(OrderStatus.PAID, order.status());
        assertTrue(order.isDone(OrderStep.PAID_EFFECTS));
        assertEquals(Reservation.Status.SOLD, reservationStore.find(reservation.id()).orElseThrow().status());
        assertEquals(0, products.stock("RING-ARIA"));
        assertEquals(1, counter.orders(LocalDate.now(ZoneOffset.UTC)));
        assertEquals(Collections.nCopies(messages, new OrderMessage(OrderMessage.Type.ORDER_PAID, SESSION)),
                events.published);
        assertEquals(1, processed.events.size());
    }

    private static <P, T> P broken(Class<P> type, P real, Class<T> port, String method, At at) {
        return type == port ? Crash.once(type, real, method, at) : real;
    }
}
