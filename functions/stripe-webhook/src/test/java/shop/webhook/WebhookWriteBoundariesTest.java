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
import shop.commerce.orders.OrderAccounts;
import shop.commerce.orders.OrderStore;
import shop.commerce.orders.PaidOrders;
import shop.commerce.reservations.Reservation;
import shop.commerce.reservations.ReservationStore;
import shop.commerce.reservations.ReservedLine;
import shop.commerce.reservations.StockReservations;
import shop.commerce.testing.Crash;
import shop.commerce.testing.Crash.At;
import shop.commerce.testing.InMemoryOrderCounter;
import shop.commerce.testing.InMemoryOrderAccounts;
import shop.commerce.testing.InMemoryOrderStore;
import shop.commerce.testing.InMemoryPaidOrders;
import shop.commerce.testing.InMemoryProductStore;
import shop.commerce.testing.InMemoryReservationStore;
import shop.commerce.testing.RecordingOrderEvents;
import shop.commerce.testing.Samples;

/**
 * The webhook stopped before and right after every write (the paid order's transaction, the
 * queue send, the order marked done, the event marked processed; for a failed payment also the
 * order's status and the stock's release), then delivered again as Stripe retries it.
 * Right after the stop, the order, its sale and its count are all there or none is; after the
 * retry there is one outcome: one paid order, the piece sold once, one count and the order
 * message (twice only when the stop fell between the queue send and marking the order done; the
 * notification's mail claims make that one mail of each kind).
 */
class WebhookWriteBoundariesTest {
    private static final String SESSION = "cs_test_boundary";

    static Stream<Arguments> paidBoundaries() {
        return Stream.of(
                Arguments.of(PaidOrders.class, "record", At.INSTEAD_OF, 1),
                Arguments.of(PaidOrders.class, "record", At.RIGHT_AFTER, 1),
                Arguments.of(OrderEvents.class, "publish", At.INSTEAD_OF, 1),
                Arguments.of(OrderEvents.class, "publish", At.RIGHT_AFTER, 2),
                Arguments.of(OrderStore.class, "markDone", At.INSTEAD_OF, 2),
                Arguments.of(OrderStore.class, "markDone", At.RIGHT_AFTER, 1),
                Arguments.of(ProcessedEvents.class, "record", At.INSTEAD_OF, 1),
                Arguments.of(ProcessedEvents.class, "record", At.RIGHT_AFTER, 1));
    }

    @ParameterizedTest(name = "paid, stopped {2} {0}.{1}")
    @MethodSource("paidBoundaries")
    <T> void aPaymentStoppedAnywhereLeavesAllOrNothingAndItsRetryOneSaleAndOneCount(Class<T> port, String method,
                                                                                     At at, int messages) {
        var shop = new Shop(port, method, at);
        shop.stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", shop.reservation.id()));
        String payload = SignedEvents.sessionEvent("checkout.session.completed", SESSION);

        shop.stoppedOnce(payload);
        boolean paid = shop.orders.find(SESSION).map(o -> o.status() == OrderStatus.PAID).orElse(false);
        assertEquals(paid ? Reservation.Status.SOLD : Reservation.Status.OPEN, shop.reservation().status());
        assertEquals(paid ? 1 : 0, shop.counter.orders(today()), "the count goes with the order, or neither is there");
        assertEquals(0, shop.products.stock("RING-ARIA"), "held or sold, never both nor neither");

        WebhookService.Outcome retried = shop.deliver(payload);

        assertEquals(port == ProcessedEvents.class && at == At.RIGHT_AFTER
                ? WebhookService.Outcome.DUPLICATE : WebhookService.Outcome.PROCESSED, retried);
        assertEquals(1, shop.orders.orders.size());
        var order = shop.orders.find(SESSION).orElseThrow();
        assertEquals(OrderStatus.PAID, order.status());
        assertTrue(order.isDone(OrderStep.PAID_EFFECTS));
        assertEquals(Reservation.Status.SOLD, shop.reservation().status());
        assertEquals(0, shop.products.stock("RING-ARIA"));
        assertEquals(1, shop.counter.orders(today()));
        assertEquals(Collections.nCopies(messages, new OrderMessage(OrderMessage.Type.ORDER_PAID, SESSION)),
                shop.events.published);
        assertEquals(1, shop.processed.events.size());
    }

    /**
     * The same stops for a payment that came after its reservation gave the stock back: right after
     * the stop the order is NEEDS_ATTENTION and counted, or neither; after the retry, one such
     * order, nothing sold, one count, and the owner's mail queued (no confirmation to the customer).
     */
    @ParameterizedTest(name = "paid after its stock went back, stopped {2} {0}.{1}")
    @MethodSource("paidBoundaries")
    <T> void aPaymentWithoutItsStockStoppedAnywhereNeedsTheOwnerOnceAfterItsRetry(Class<T> port, String method, At at,
                                                                                 int messages) {
        var shop = new Shop(port, method, at);
        new StockReservations(shop.reservations, Clock.systemUTC()).release(shop.reservation.id());
        shop.stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", shop.reservation.id()));
        String payload = SignedEvents.sessionEvent("checkout.session.completed", SESSION);

        shop.stoppedOnce(payload);
        boolean recorded = shop.orders.find(SESSION).isPresent();
        assertEquals(recorded ? 1 : 0, shop.counter.orders(today()), "the count goes with the order, or neither is there");
        assertEquals(recorded ? "stock_not_held" : null, shop.orders.find(SESSION).map(o -> o.attentionReason()).orElse(null),
                "why goes with the status");
        shop.deliver(payload);

        assertEquals(1, shop.orders.orders.size());
        var order = shop.orders.find(SESSION).orElseThrow();
        assertEquals(OrderStatus.NEEDS_ATTENTION, order.status());
        assertEquals("stock_not_held", order.attentionReason());
        assertTrue(order.isDone(OrderStep.ATTENTION_MAIL));
        assertEquals(Reservation.Status.RELEASED, shop.reservation().status());
        assertEquals(1, shop.products.stock("RING-ARIA"), "given back once, never taken again");
        assertEquals(1, shop.counter.orders(today()));
        assertEquals(Collections.nCopies(messages, new OrderMessage(OrderMessage.Type.ORDER_NEEDS_ATTENTION, SESSION,
                "stock_not_held")), shop.events.published);
    }

    static Stream<Arguments> failedBoundaries() {
        return Stream.of(
                Arguments.of(OrderStore.class, "transition", At.INSTEAD_OF, 1),
                Arguments.of(OrderStore.class, "transition", At.RIGHT_AFTER, 1),
                Arguments.of(ReservationStore.class, "release", At.INSTEAD_OF, 1),
                Arguments.of(ReservationStore.class, "release", At.RIGHT_AFTER, 1),
                Arguments.of(OrderEvents.class, "publish", At.INSTEAD_OF, 1),
                Arguments.of(OrderEvents.class, "publish", At.RIGHT_AFTER, 2),
                Arguments.of(OrderStore.class, "markDone", At.INSTEAD_OF, 2),
                Arguments.of(OrderStore.class, "markDone", At.RIGHT_AFTER, 1),
                Arguments.of(ProcessedEvents.class, "record", At.INSTEAD_OF, 1),
                Arguments.of(ProcessedEvents.class, "record", At.RIGHT_AFTER, 1));
    }

    @ParameterizedTest(name = "failed, stopped {2} {0}.{1}")
    @MethodSource("failedBoundaries")
    <T> void aFailedPaymentStoppedAnywhereGivesTheStockBackOnceAfterItsRetry(Class<T> port, String method, At at,
                                                                              int messages) {
        var shop = new Shop(port, method, at);
        shop.stripe.put(FakePaymentRecords.session(SESSION, "complete", "unpaid", shop.reservation.id()));
        String completed = SignedEvents.sessionEvent("checkout.session.completed", SESSION);
        shop.clean.receive(completed, SignedEvents.signature(completed));
        shop.stripe.put(FakePaymentRecords.session(SESSION, "complete", "unpaid", shop.reservation.id()));
        String payload = SignedEvents.sessionEvent("checkout.session.async_payment_failed", SESSION);

        shop.stoppedOnce(payload);
        Reservation.Status afterStop = shop.reservation().status();
        assertEquals(afterStop == Reservation.Status.RELEASED ? 1 : 0, shop.products.stock("RING-ARIA"),
                "the piece is back exactly when the reservation says released");
        shop.deliver(payload);

        assertEquals(OrderStatus.FAILED, shop.orders.find(SESSION).orElseThrow().status());
        assertEquals(Reservation.Status.RELEASED, shop.reservation().status());
        assertEquals(1, shop.products.stock("RING-ARIA"), "given back once");
        assertEquals(0, shop.counter.orders(today()));
        assertEquals(Collections.nCopies(messages, new OrderMessage(OrderMessage.Type.PAYMENT_FAILED, SESSION)),
                shop.events.published);
    }

    static Stream<Arguments> refundFailedBoundaries() {
        return Stream.of(
                Arguments.of(OrderAccounts.class, "recordRefundFailure", At.INSTEAD_OF, 1),
                Arguments.of(OrderAccounts.class, "recordRefundFailure", At.RIGHT_AFTER, 1),
                Arguments.of(OrderEvents.class, "publish", At.INSTEAD_OF, 1),
                Arguments.of(OrderEvents.class, "publish", At.RIGHT_AFTER, 2),
                Arguments.of(OrderAccounts.class, "markMailQueued", At.INSTEAD_OF, 2),
                Arguments.of(OrderAccounts.class, "markMailQueued", At.RIGHT_AFTER, 1),
                Arguments.of(ProcessedEvents.class, "record", At.INSTEAD_OF, 1),
                Arguments.of(ProcessedEvents.class, "record", At.RIGHT_AFTER, 1));
    }

    /**
     * A full refund Stripe failed later, stopped before or right after each write: right after the stop the
     * order is refunded with the entry as it was, or paid again with it failed and its amount out, never
     * part of it; after the retry the order is paid, the amount counted back once, and the owner's message
     * queued (twice only between the send and its note: the mail's claim makes that one mail).
     */
    @ParameterizedTest(name = "refund failed, stopped {2} {0}.{1}")
    @MethodSource("refundFailedBoundaries")
    <T> void aRefundFailureStoppedAnywhereIsCountedBackOnceAfterItsRetry(Class<T> port, String method, At at,
                                                                      int messages) {
        var shop = new Shop(port, method, at);
        shop.stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", shop.reservation.id()));
        String completed = SignedEvents.sessionEvent("checkout.session.completed", SESSION);
        shop.clean.receive(completed, SignedEvents.signature(completed));
        shop.stripe.charges.put("ch_1", new ChargeSnapshot("ch_1", "pi_test_boundary", 19700, true));
        shop.stripe.refunds.put("ch_1", List.of(new RefundSnapshot("re_1", 19700, "usd", null, "succeeded", 1, null)));
        String refunded = SignedEvents.payload("charge.refunded", "ch_1", "charge");
        shop.clean.receive(refunded, SignedEvents.signature(refunded));
        shop.stripe.refundsById.put("re_1", new RefundSnapshot("re_1", 19700, "usd", null, "failed", 1, null, "ch_1",
                "pi_test_boundary", "lost_or_stolen_card"));
        String payload = SignedEvents.payload("charge.refund.updated", "re_1", "refund");

        shop.stoppedOnce(payload);
        var afterStop = shop.accounts.find(SESSION).orElseThrow();
        boolean failed = afterStop.refund("re_1").orElseThrow().failed();
        assertEquals(failed ? OrderStatus.PAID : OrderStatus.REFUNDED, afterStop.order().status());
        assertEquals(failed ? 0 : 19700, afterStop.order().amountRefunded(), "the amount goes with the entry");
        assertEquals(failed, afterStop.needsAttention());
        shop.deliver(payload);

        var account = shop.accounts.find(SESSION).orElseThrow();
        assertEquals(OrderStatus.PAID, account.order().status());
        assertEquals(0, account.order().amountRefunded());
        assertEquals("lost_or_stolen_card", account.refund("re_1").orElseThrow().failureReason());
        assertTrue(account.needsAttention());
        assertEquals(Collections.nCopies(messages, new OrderMessage(OrderMessage.Type.REFUND_FAILED, SESSION, "re_1")),
                shop.events.published.stream().filter(m -> m.type() == OrderMessage.Type.REFUND_FAILED).toList());
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    /** The webhook on in-memory stores, with one port breaking once on one method. */
    private static final class Shop {
        final InMemoryProductStore products = new InMemoryProductStore().with(Samples.product("RING-ARIA", 18500, 1));
        final InMemoryReservationStore reservations = new InMemoryReservationStore(products);
        final InMemoryOrderStore orders = new InMemoryOrderStore();
        final InMemoryOrderCounter counter = new InMemoryOrderCounter();
        final RecordingOrderEvents events = new RecordingOrderEvents();
        final InMemoryProcessedEvents processed = new InMemoryProcessedEvents();
        final FakePaymentRecords stripe = new FakePaymentRecords();
        /** One record of refunds and disputes, which both services write. */
        final InMemoryOrderAccounts accounts = new InMemoryOrderAccounts(orders);
        final Reservation reservation;
        final WebhookService service;
        /** The same stores without the break, for what happened before the delivery under test. */
        final WebhookService clean;

        <T> Shop(Class<T> port, String method, At at) {
            Clock clock = Clock.systemUTC();
            reservation = new StockReservations(reservations, clock).reserve(List.of(new ReservedLine("RING-ARIA", 1)));
            reservations.attachSession(reservation.id(), SESSION, null);
            service = new WebhookService(new StripeSignatureVerifier(() -> SignedEvents.SECRET, clock),
                    broken(ProcessedEvents.class, processed, port, method, at), stripe,
                    new OrderLifecycle(broken(OrderStore.class, orders, port, method, at),
                            broken(OrderAccounts.class, accounts, port, method, at),
                            new StockReservations(broken(ReservationStore.class, reservations, port, method, at), clock),
                            broken(PaidOrders.class, new InMemoryPaidOrders(orders, reservations, counter), port, method, at),
                            broken(OrderEvents.class, events, port, method, at), address -> false, clock), () -> false);
            clean = new WebhookService(new StripeSignatureVerifier(() -> SignedEvents.SECRET, clock), processed, stripe,
                    new OrderLifecycle(orders, accounts, new StockReservations(reservations, clock),
                            new InMemoryPaidOrders(orders, reservations, counter), events, address -> false, clock),
                    () -> false);
        }

        void stoppedOnce(String payload) {
            Throwable stopped = assertThrows(Throwable.class, () -> deliver(payload));
            assertTrue(stopped instanceof Crash.Killed || stopped instanceof IllegalStateException, stopped.toString());
        }

        WebhookService.Outcome deliver(String payload) {
            return service.receive(payload, SignedEvents.signature(payload));
        }

        Reservation reservation() {
            return reservations.find(reservation.id()).orElseThrow();
        }
    }

    private static <P, T> P broken(Class<P> type, P real, Class<T> port, String method, At at) {
        return type == port ? Crash.once(type, real, method, at) : real;
    }
}
