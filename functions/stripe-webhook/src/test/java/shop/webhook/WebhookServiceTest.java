package shop.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import shop.commerce.orders.OrderEvents;
import shop.commerce.orders.Refund;
import shop.commerce.orders.OrderMessage;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.OrderStep;
import shop.commerce.reservations.Reservation;
import shop.commerce.reservations.ReservedLine;
import shop.commerce.reservations.StockReservations;
import shop.commerce.testing.InMemoryOrderCounter;
import shop.commerce.testing.InMemoryOrderAccounts;
import shop.commerce.testing.InMemoryOrderStore;
import shop.commerce.testing.InMemoryPaidOrders;
import shop.commerce.testing.InMemoryProductStore;
import shop.commerce.testing.InMemoryReservationStore;
import shop.commerce.testing.RecordingOrderEvents;
import shop.commerce.testing.Samples;
import shop.core.errors.UpstreamException;
import shop.core.retention.RetentionSchedule;

class WebhookServiceTest {
    private static final String SESSION = "cs_test_a1b2c3";

    private final Clock clock = Clock.systemUTC();
    private final InMemoryProductStore products = new InMemoryProductStore().with(Samples.product("RING-ARIA", 18500, 1),
            Samples.product("EAR-LAST", 7500, 1));
    private final InMemoryReservationStore reservationStore = new InMemoryReservationStore(products);
    private final StockReservations stock = new StockReservations(reservationStore, clock);
    private final InMemoryOrderStore orders = new InMemoryOrderStore();
    private final InMemoryOrderAccounts accounts = new InMemoryOrderAccounts(orders);
    private final InMemoryOrderCounter counter = new InMemoryOrderCounter();
    private final RecordingOrderEvents events = new RecordingOrderEvents();
    private final FlakyEvents flakyEvents = new FlakyEvents(events);
    private final InMemoryProcessedEvents processed = new InMemoryProcessedEvents();
    private final FakePaymentRecords stripe = new FakePaymentRecords();
    private final java.util.Set<String> deactivated = new java.util.HashSet<>();
    private WebhookService service;
    private Reservation reservation;

    @BeforeEach
    void setUp() {
        service = new WebhookService(new StripeSignatureVerifier(() -> SignedEvents.SECRET, clock), processed, stripe,
                new OrderLifecycle(orders, accounts, stock,
                        new InMemoryPaidOrders(orders, reservationStore, counter), flakyEvents,
                        address -> deactivated.contains(address.value()), clock), () -> false);
        reservation = stock.reserve(List.of(new ReservedLine("RING-ARIA", 1)));
        stock.attachSession(reservation.id(), SESSION);
    }

    @Test
    void aPaidCheckoutMakesOnePaidOrderSellsTheStockCountsTheDayAndQueuesTheMail() {
        stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", reservation.id()));

        assertEquals(WebhookService.Outcome.PROCESSED, deliver(SignedEvents.sessionEvent("checkout.session.completed", SESSION)));

        var order = orders.find(SESSION).orElseThrow();
        assertEquals(OrderStatus.PAID, order.status());
        assertEquals("Ada Lovelace", order.customerName());
        assertEquals("ada@example.com", order.customerEmail());
        assertEquals("Portland", order.shipping().city());
        assertEquals("US", order.country());
        assertEquals(19700, order.totals().total().amount());
        assertEquals("RING-ARIA", order.items().get(0).sku());
        assertTrue(order.isDone(OrderStep.PAID_EFFECTS));
        assertEquals(RetentionSchedule.ORDER_PAID.expiresAt(order.createdAt()), orders.expiresAt.get(SESSION), 5.0);
        assertEquals(Reservation.Status.SOLD, reservationStore.find(reservation.id()).orElseThrow().status());
        assertEquals(0, products.stock("RING-ARIA"));
        assertEquals(1, counter.orders(today()));
        assertEquals(List.of(new OrderMessage(OrderMessage.Type.ORDER_PAID, SESSION)), events.published);
        assertEquals(1, processed.events.size());
    }

    @Test
    void theSameEventTwiceIsRecognisedAndDoesNothingMore() {
        stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", reservation.id()));
        String payload = SignedEvents.sessionEvent("checkout.session.completed", SESSION);

        deliver(payload);
        assertEquals(WebhookService.Outcome.DUPLICATE, deliver(payload));

        assertEquals(1, events.published.size());
        assertEquals(1, counter.orders(today()));
    }

    @Test
    void concurrentDeliveriesMakeOneOrderAndCountItOnce() throws Exception {
        stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", reservation.id()));
        String payload = SignedEvents.sessionEvent("checkout.session.completed", SESSION);
        String signature = SignedEvents.signature(payload);

        List<WebhookService.Outcome> outcomes = inParallel(40, () -> service.receive(payload, signature));

        assertTrue(outcomes.stream().allMatch(o -> o != WebhookService.Outcome.IGNORED));
        assertEquals(1, orders.orders.size());
        assertEquals(1, counter.orders(today()));
        assertTrue(events.published.size() >= 1, "at least one OrderPaid; the mail claims make duplicates harmless");
        assertEquals(0, products.stock("RING-ARIA"));
    }

    @Test
    void aDelayedPaymentWaitsAsPendingThenSucceeds() {
        stripe.put(FakePaymentRecords.session(SESSION, "complete", "unpaid", reservation.id()));
        deliver(SignedEvents.sessionEvent("checkout.session.completed", SESSION));

        var pending = orders.find(SESSION).orElseThrow();
        assertEquals(OrderStatus.PENDING_PAYMENT, pending.status());
        assertNull(pending.paidAt());
        assertTrue(events.published.isEmpty());
        assertEquals(0, counter.orders(today()));
        assertEquals(RetentionSchedule.ORDER_UNPAID.expiresAt(clock.instant()), reservationStore.expiresAt.get(reservation.id()), 5.0);

        stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", reservation.id()));
        deliver(SignedEvents.sessionEvent("checkout.session.async_payment_succeeded", SESSION));

        assertEquals(OrderStatus.PAID, orders.find(SESSION).orElseThrow().status());
        assertEquals(List.of(new OrderMessage(OrderMessage.Type.ORDER_PAID, SESSION)), events.published);
        assertEquals(1, counter.orders(today()));
        assertEquals(Reservation.Status.SOLD, reservationStore.find(reservation.id()).orElseThrow().status());
    }

    @Test
    void aFailedDelayedPaymentFailsTheOrderReleasesTheStockAndTellsTheCustomer() {
        stripe.put(FakePaymentRecords.session(SESSION, "complete", "unpaid", reservation.id()));
        deliver(SignedEvents.sessionEvent("checkout.session.completed", SESSION));
        deliver(SignedEvents.sessionEvent("checkout.session.async_payment_failed", SESSION));
        deliver(SignedEvents.sessionEvent("checkout.session.async_payment_failed", SESSION));

        assertEquals(OrderStatus.FAILED, orders.find(SESSION).orElseThrow().status());
        assertEquals(1, products.stock("RING-ARIA"));
        assertEquals(List.of(new OrderMessage(OrderMessage.Type.PAYMENT_FAILED, SESSION)), events.published);
        assertEquals(0, counter.orders(today()));
    }

    @Test
    void eventsOutOfOrderEndInTheRightState() {
        // The success arrives before the completion it follows; both fetch the session as it is now.
        stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", reservation.id()));
        deliver(SignedEvents.sessionEvent("checkout.session.async_payment_succeeded", SESSION));
        deliver(SignedEvents.sessionEvent("checkout.session.completed", SESSION));
        // A late failure of a payment that succeeded cannot undo it.
        deliver(SignedEvents.sessionEvent("checkout.session.async_payment_failed", SESSION));

        assertEquals(OrderStatus.PAID, orders.find(SESSION).orElseThrow().status());
        assertEquals(1, events.published.size());
        assertEquals(0, products.stock("RING-ARIA"));
    }

    @Test
    void expiryReleasesTheStockOnceAndNeverForACompletedSession() {
        stripe.put(FakePaymentRecords.session(SESSION, "expired", "unpaid", reservation.id()));
        deliver(SignedEvents.sessionEvent("checkout.session.expired", SESSION));
        deliver(SignedEvents.sessionEvent("checkout.session.expired", SESSION));
        assertEquals(1, products.stock("RING-ARIA"));
        assertTrue(orders.orders.isEmpty());

        Reservation other = stock.reserve(List.of(new ReservedLine("RING-ARIA", 1)));
        stripe.put(FakePaymentRecords.session("cs_test_paid", "complete", "paid", other.id()));
        deliver(SignedEvents.sessionEvent("checkout.session.expired", "cs_test_paid"));
        assertEquals(0, products.stock("RING-ARIA"), "the event said expired, Stripe says complete: Stripe wins");
    }

    @Test
    void refundsAreRecordedByTheirStripeIdOnceEachWithOneMailEachAndAFullRefundMakesTheOrderRefunded() {
        stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", reservation.id()));
        deliver(SignedEvents.sessionEvent("checkout.session.completed", SESSION));

        stripe.charges.put("ch_1", new ChargeSnapshot("ch_1", "pi_test_a1b2c3", 5000, false));
        stripe.refunds.put("ch_1", List.of(refund("re_1", 5000, null)));
        deliver(SignedEvents.payload("charge.refunded", "ch_1", "charge"));
        deliver(SignedEvents.payload("charge.refunded", "ch_1", "charge")); // another event id, same refund
        assertEquals(OrderStatus.PAID, orders.find(SESSION).orElseThrow().status());
        assertEquals(5000, orders.find(SESSION).orElseThrow().amountRefunded());
        Refund first = accounts.find(SESSION).orElseThrow().refund("re_1").orElseThrow();
        assertEquals(Refund.BY_DASHBOARD, first.by());
        assertEquals("requested_by_customer", first.reason());

        stripe.charges.put("ch_1", new ChargeSnapshot("ch_1", "pi_test_a1b2c3", 19700, true));
        stripe.refunds.put("ch_1", List.of(refund("re_2", 14700, "key-from-the-back-office"), refund("re_1", 5000, null),
                new RefundSnapshot("re_failed", 100, "usd", null, "failed", 1, null)));
        deliver(SignedEvents.payload("charge.refunded", "ch_1", "charge"));
        assertEquals(OrderStatus.REFUNDED, orders.find(SESSION).orElseThrow().status());
        assertEquals(19700, orders.find(SESSION).orElseThrow().amountRefunded());
        assertEquals(Refund.BY_BACK_OFFICE, accounts.find(SESSION).orElseThrow().refund("re_2").orElseThrow().by());
        assertEquals(2, accounts.find(SESSION).orElseThrow().refunds().size());
        assertEquals(List.of(new OrderMessage(OrderMessage.Type.ORDER_REFUNDED, SESSION, "re_1"),
                new OrderMessage(OrderMessage.Type.ORDER_REFUNDED, SESSION, "re_2")), messages(OrderMessage.Type.ORDER_REFUNDED));
        assertEquals(0, products.stock("RING-ARIA"), "a refund does not put a piece back on sale by itself");
    }

    @Test
    void aRefundBeforeThePaymentEventStillEndsRefunded() {
        stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", reservation.id()));
        stripe.charges.put("ch_2", new ChargeSnapshot("ch_2", "pi_test_a1b2c3", 19700, true));
        stripe.refunds.put("ch_2", List.of(refund("re_3", 19700, null)));

        deliver(SignedEvents.payload("charge.refunded", "ch_2", "charge"));
        deliver(SignedEvents.sessionEvent("checkout.session.completed", SESSION));

        assertEquals(OrderStatus.REFUNDED, orders.find(SESSION).orElseThrow().status());
        assertEquals(1, counter.orders(today()));
    }

    @Test
    void aDisputeFlagsTheOrderAndQueuesTheOwnersMailOnceAndItsClosingRecordsTheOutcome() {
        stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", reservation.id()));
        deliver(SignedEvents.sessionEvent("checkout.session.completed", SESSION));
        long due = Instant.parse("2026-12-20T23:59:59Z").getEpochSecond();
        stripe.disputes.put("du_1", dispute("du_1", "needs_response", due));

        deliver(SignedEvents.payload("charge.dispute.created", "du_1", "dispute"));
        deliver(SignedEvents.payload("charge.dispute.created", "du_1", "dispute"));

        var account = accounts.find(SESSION).orElseThrow();
        assertTrue(account.needsAttention());
        assertEquals(Instant.ofEpochSecond(due), account.dispute().evidenceDueBy());
        assertEquals("fraudulent", account.dispute().reason());
        assertEquals(List.of(new OrderMessage(OrderMessage.Type.DISPUTE_OPENED, SESSION, "du_1")),
                messages(OrderMessage.Type.DISPUTE_OPENED));

        stripe.disputes.put("du_1", dispute("du_1", "lost", due));
        deliver(SignedEvents.payload("charge.dispute.closed", "du_1", "dispute"));
        account = accounts.find(SESSION).orElseThrow();
        assertEquals("lost", account.dispute().outcome());
        assertTrue(account.dispute().closedAt() != null);
        assertTrue(!account.needsAttention());
        assertEquals(1, messages(OrderMessage.Type.DISPUTE_OPENED).size());
    }

    @Test
    void aDisputeClosedBeforeItsCreationEventEndsInTheSameStateWithOneOwnerMail() {
        stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", reservation.id()));
        stripe.disputes.put("du_2", dispute("du_2", "won", null));

        deliver(SignedEvents.payload("charge.dispute.closed", "du_2", "dispute"));
        var closed = accounts.find(SESSION).orElseThrow().dispute();
        deliver(SignedEvents.payload("charge.dispute.created", "du_2", "dispute"));
        deliver(SignedEvents.sessionEvent("checkout.session.completed", SESSION));

        var account = accounts.find(SESSION).orElseThrow();
        assertEquals(closed, account.dispute());
        assertEquals("won", account.dispute().outcome());
        assertTrue(!account.needsAttention());
        assertEquals(OrderStatus.PAID, account.order().status());
        assertEquals(1, messages(OrderMessage.Type.DISPUTE_OPENED).size());
    }

    @Test
    void aFullRefundThatFailsLaterIsCountedBackTheOrderIsPaidAgainFlaggedAndTheOwnerMailedOnce() {
        stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", reservation.id()));
        deliver(SignedEvents.sessionEvent("checkout.session.completed", SESSION));
        stripe.charges.put("ch_1", new ChargeSnapshot("ch_1", "pi_test_a1b2c3", 19700, true));
        stripe.refunds.put("ch_1", List.of(refund("re_1", 19700, null)));
        deliver(SignedEvents.payload("charge.refunded", "ch_1", "charge"));
        assertEquals(OrderStatus.REFUNDED, orders.find(SESSION).orElseThrow().status());

        stripe.refundsById.put("re_1", failedRefund("re_1", 19700, "failed"));
        assertEquals(WebhookService.Outcome.PROCESSED, deliver(SignedEvents.payload("charge.refund.updated", "re_1", "refund")));
        deliver(SignedEvents.payload("charge.refund.updated", "re_1", "refund")); // another event id, same refund
        // A late succeeded update of the same refund (Stripe never goes back from failed): nothing to act on.
        stripe.refundsById.put("re_1", new RefundSnapshot("re_1", 19700, "usd", null, "succeeded", 1795687200, null,
                "ch_1", "pi_test_a1b2c3", null));
        assertEquals(WebhookService.Outcome.IGNORED, deliver(SignedEvents.payload("charge.refund.updated", "re_1", "refund")));
        // And charge.refunded again, its list now saying failed: not money returned again.
        stripe.refunds.put("ch_1", List.of(failedRefund("re_1", 19700, "failed")));
        deliver(SignedEvents.payload("charge.refunded", "ch_1", "charge"));

        var account = accounts.find(SESSION).orElseThrow();
        assertEquals(OrderStatus.PAID, account.order().status(), "not refunded any more: it was paid and not shipped");
        assertEquals(0, account.order().amountRefunded());
        assertEquals(19700, account.refundable());
        assertTrue(account.needsAttention());
        Refund failed = account.refund("re_1").orElseThrow();
        assertEquals("failed", failed.failure());
        assertEquals("expired_or_canceled_card", failed.failureReason());
        assertEquals(1, account.refunds().size());
        assertEquals(List.of(new OrderMessage(OrderMessage.Type.REFUND_FAILED, SESSION, "re_1")),
                messages(OrderMessage.Type.REFUND_FAILED));
        assertEquals(1, messages(OrderMessage.Type.ORDER_REFUNDED).size(), "the customer's mail of the refund, once");
    }

    @Test
    void aPartialRefundOfAShippedOrderThatFailsLeavesItShippedWithTheOtherRefundCounted() {
        stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", reservation.id()));
        deliver(SignedEvents.sessionEvent("checkout.session.completed", SESSION));
        orders.transition(SESSION, java.util.Set.of(OrderStatus.PAID), OrderStatus.SHIPPED, clock.instant(), 0);
        accounts.shipped.add(SESSION);
        stripe.charges.put("ch_1", new ChargeSnapshot("ch_1", "pi_test_a1b2c3", 19700, true));
        stripe.refunds.put("ch_1", List.of(refund("re_2", 14700, null), refund("re_1", 5000, null)));
        deliver(SignedEvents.payload("charge.refunded", "ch_1", "charge"));
        assertEquals(OrderStatus.REFUNDED, orders.find(SESSION).orElseThrow().status());

        stripe.refundsById.put("re_2", failedRefund("re_2", 14700, "canceled"));
        deliver(SignedEvents.payload("charge.refund.updated", "re_2", "refund"));

        var account = accounts.find(SESSION).orElseThrow();
        assertEquals(OrderStatus.SHIPPED, account.order().status());
        assertEquals(5000, account.order().amountRefunded());
        assertEquals("canceled", account.refund("re_2").orElseThrow().failure());
        assertNull(account.refund("re_1").orElseThrow().failure());
    }

    @Test
    void aFailureBeforeTheRefundWasRecordedIsRecordedAsFailedAndTheLaterChargeRefundedDoesNotCountIt() {
        stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", reservation.id()));
        deliver(SignedEvents.sessionEvent("checkout.session.completed", SESSION));
        stripe.charges.put("ch_1", new ChargeSnapshot("ch_1", "pi_test_a1b2c3", 0, false));
        stripe.refundsById.put("re_1", failedRefund("re_1", 5000, "failed")); // names its charge only
        deliver(SignedEvents.payload("charge.refund.updated", "re_1", "refund"));

        stripe.refunds.put("ch_1", List.of(refund("re_1", 5000, null))); // a stale list still saying succeeded
        deliver(SignedEvents.payload("charge.refunded", "ch_1", "charge"));

        var account = accounts.find(SESSION).orElseThrow();
        assertEquals(OrderStatus.PAID, account.order().status());
        assertEquals(0, account.order().amountRefunded());
        assertEquals("failed", account.refund("re_1").orElseThrow().failure());
        assertEquals(1, messages(OrderMessage.Type.REFUND_FAILED).size());
        assertEquals(0, messages(OrderMessage.Type.ORDER_REFUNDED).size(), "no 'we refunded you' for a failed refund");
    }

    @Test
    void aRefundUpdateThatIsNotAFailureIsIgnored() {
        stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", reservation.id()));
        deliver(SignedEvents.sessionEvent("checkout.session.completed", SESSION));
        stripe.refundsById.put("re_1", new RefundSnapshot("re_1", 5000, "usd", null, "succeeded", 1795687200, null,
                "ch_1", "pi_test_a1b2c3", null));

        assertEquals(WebhookService.Outcome.IGNORED, deliver(SignedEvents.payload("charge.refund.updated", "re_1", "refund")));
        assertTrue(accounts.find(SESSION).orElseThrow().refunds().isEmpty());
        assertEquals(0, messages(OrderMessage.Type.REFUND_FAILED).size());
    }

    private static RefundSnapshot failedRefund(String id, long amount, String status) {
        return new RefundSnapshot(id, amount, "usd", "requested_by_customer", status, 1795687200, null, "ch_1", null,
                "expired_or_canceled_card");
    }

    private static RefundSnapshot refund(String id, long amount, String requestKey) {
        return new RefundSnapshot(id, amount, "usd", "requested_by_customer", "succeeded", 1795687200, requestKey);
    }

    private static DisputeSnapshot dispute(String id, String status, Long dueBy) {
        return new DisputeSnapshot(id, "ch_1", "pi_test_a1b2c3", 19700, "usd", "fraudulent", status, dueBy, 1795687200);
    }

    private List<OrderMessage> messages(OrderMessage.Type type) {
        return events.published.stream().filter(m -> m.type() == type).toList();
    }

    @Test
    void unknownEventTypesAndChargesFromOutsideCheckoutAreIgnored() {
        assertEquals(WebhookService.Outcome.IGNORED, deliver(SignedEvents.payload("customer.created", "cus_1", "customer")));
        stripe.charges.put("ch_3", new ChargeSnapshot("ch_3", "pi_from_dashboard", 100, true));
        assertEquals(WebhookService.Outcome.IGNORED, deliver(SignedEvents.payload("charge.refunded", "ch_3", "charge")));
        assertTrue(orders.orders.isEmpty());
        assertTrue(processed.events.isEmpty());
    }

    @Test
    void aBadSignatureIsRefusedBeforeAnythingIsReadOrWritten() {
        stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", reservation.id()));
        String payload = SignedEvents.sessionEvent("checkout.session.completed", SESSION);

        assertThrows(InvalidSignatureException.class, () -> service.receive(payload.replace("cs_test_a1b2c3", "cs_test_other"),
                SignedEvents.signature(payload)));
        assertThrows(InvalidSignatureException.class, () -> service.receive(payload,
                SignedEvents.signature(payload, "whsec_someone_elses_secret", Instant.now())));
        assertThrows(InvalidSignatureException.class, () -> service.receive(payload,
                SignedEvents.signature(payload, SignedEvents.SECRET, Instant.now().minus(Duration.ofSeconds(301)))));
        assertThrows(InvalidSignatureException.class, () -> service.receive(payload, null));

        assertEquals(0, stripe.calls.get());
        assertTrue(orders.orders.isEmpty());
        assertTrue(processed.events.isEmpty());
    }

    @Test
    void aFailurePartWayLeavesTheEventUnprocessedAndTheRetryFinishesTheJob() {
        stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", reservation.id()));
        String payload = SignedEvents.sessionEvent("checkout.session.completed", SESSION);

        stripe.failures.set(1);
        assertThrows(UpstreamException.class, () -> deliver(payload));
        assertTrue(orders.orders.isEmpty());

        flakyEvents.failuresLeft = 1; // the order is written, then the queue fails
        assertThrows(IllegalStateException.class, () -> deliver(payload));
        assertEquals(OrderStatus.PAID, orders.find(SESSION).orElseThrow().status());
        assertTrue(processed.events.isEmpty());
        assertTrue(events.published.isEmpty());

        assertEquals(WebhookService.Outcome.PROCESSED, deliver(payload));
        assertEquals(List.of(new OrderMessage(OrderMessage.Type.ORDER_PAID, SESSION)), events.published);
        assertEquals(1, counter.orders(today()));
        assertTrue(orders.find(SESSION).orElseThrow().isDone(OrderStep.PAID_EFFECTS));
    }

    @Test
    void aPaidSessionWithoutOurMetadataNeedsTheOwnerTakesNoStockAndMailsTheOwnerOnce() {
        stripe.put(FakePaymentRecords.session("cs_test_payment_link", "complete", "paid", null));
        deliver(SignedEvents.sessionEvent("checkout.session.completed", "cs_test_payment_link"));
        deliver(SignedEvents.sessionEvent("checkout.session.async_payment_succeeded", "cs_test_payment_link"));

        var order = orders.find("cs_test_payment_link").orElseThrow();
        assertEquals(OrderStatus.NEEDS_ATTENTION, order.status());
        assertNull(order.reservationId());
        assertEquals(0, counter.orders(today()), "not counted as a sale");
        assertEquals(List.of(new OrderMessage(OrderMessage.Type.ORDER_NEEDS_ATTENTION, "cs_test_payment_link",
                "no_reservation")), events.published);
        assertEquals(Reservation.Status.OPEN, reservationStore.find(reservation.id()).orElseThrow().status(),
                "the piece stays held for its own checkout");
    }

    @Test
    void aSessionNamingAnotherSessionsReservationNeverSellsItsPieceWhichItsOwnSessionStillBuys() {
        stripe.put(FakePaymentRecords.session("cs_test_intruder", "complete", "paid", reservation.id()));
        deliver(SignedEvents.sessionEvent("checkout.session.completed", "cs_test_intruder"));
        stripe.put(FakePaymentRecords.session("cs_test_intruder", "expired", "unpaid", reservation.id()));
        deliver(SignedEvents.sessionEvent("checkout.session.expired", "cs_test_intruder"));

        assertEquals(OrderStatus.NEEDS_ATTENTION, orders.find("cs_test_intruder").orElseThrow().status());
        assertEquals(Reservation.Status.OPEN, reservationStore.find(reservation.id()).orElseThrow().status());
        assertEquals(0, products.stock("RING-ARIA"), "neither sold nor given back by another session's events");

        stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", reservation.id()));
        deliver(SignedEvents.sessionEvent("checkout.session.completed", SESSION));
        assertEquals(OrderStatus.PAID, orders.find(SESSION).orElseThrow().status());
        assertEquals(Reservation.Status.SOLD, reservationStore.find(reservation.id()).orElseThrow().status());
        assertEquals(1, counter.orders(today()));
    }

    @Test
    void aSessionPaidOtherThanItsReservationPricedOrWithADeactivatedAddressNeedsTheOwner() {
        reservationStore.attachSession(reservation.id(), SESSION, new Reservation.Priced(99_00, 0, "usd"));
        stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", reservation.id()));
        deliver(SignedEvents.sessionEvent("checkout.session.completed", SESSION));
        assertEquals(OrderStatus.NEEDS_ATTENTION, orders.find(SESSION).orElseThrow().status());
        assertEquals("other_amount", events.published.get(0).ref());
        assertEquals("other_amount", orders.find(SESSION).orElseThrow().attentionReason(), "recorded with the order");

        Reservation second = stock.reserve(List.of(new ReservedLine("EAR-LAST", 1)));
        stock.attachSession(second.id(), "cs_test_deactivated");
        deactivated.add("ada@example.com");
        stripe.put(FakePaymentRecords.session("cs_test_deactivated", "complete", "paid", second.id()));
        deliver(SignedEvents.sessionEvent("checkout.session.completed", "cs_test_deactivated"));
        assertEquals(OrderStatus.NEEDS_ATTENTION, orders.find("cs_test_deactivated").orElseThrow().status());
        assertEquals("deactivated_email", events.published.get(1).ref());
        assertEquals("deactivated_email", orders.find("cs_test_deactivated").orElseThrow().attentionReason());
        assertEquals(Reservation.Status.SOLD, reservationStore.find(second.id()).orElseThrow().status(),
                "paid for: set aside until the owner refunds it");
        assertEquals(2, events.published.size(), "no confirmation to the customer");
    }

    /**
     * Paid after its reservation gave the stock back: the piece may have gone to someone else, so
     * the order needs the owner (mailed once, however often Stripe delivers), the customer gets no
     * confirmation, the day's count is raised once and nothing is sold.
     */
    @Test
    void aCheckoutPaidAfterItsStockWentBackNeedsTheOwnerOnceAndIsNotConfirmed() {
        stock.release(reservation.id());
        stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", reservation.id()));
        String completed = SignedEvents.sessionEvent("checkout.session.completed", SESSION);

        assertEquals(WebhookService.Outcome.PROCESSED, deliver(completed));
        assertEquals(WebhookService.Outcome.DUPLICATE, deliver(completed));
        deliver(SignedEvents.sessionEvent("checkout.session.async_payment_succeeded", SESSION));

        var order = orders.find(SESSION).orElseThrow();
        assertEquals(OrderStatus.NEEDS_ATTENTION, order.status());
        assertNull(order.reservationId(), "took no stock");
        assertTrue(order.isDone(OrderStep.ATTENTION_MAIL));
        assertEquals(List.of(new OrderMessage(OrderMessage.Type.ORDER_NEEDS_ATTENTION, SESSION, "stock_not_held")),
                events.published, "the owner's mail once, no confirmation");
        assertEquals("stock_not_held", order.attentionReason());
        assertEquals(1, counter.orders(today()));
        assertEquals(Reservation.Status.RELEASED, reservationStore.find(reservation.id()).orElseThrow().status());
        assertEquals(1, products.stock("RING-ARIA"), "not taken again: still as the release left it");
    }

    @Test
    void aDelayedPaymentSucceedingAfterItsStockWentBackNeedsTheOwner() {
        stripe.put(FakePaymentRecords.session(SESSION, "complete", "unpaid", reservation.id()));
        deliver(SignedEvents.sessionEvent("checkout.session.completed", SESSION));
        stock.release(reservation.id());

        stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", reservation.id()));
        deliver(SignedEvents.sessionEvent("checkout.session.async_payment_succeeded", SESSION));

        var order = orders.find(SESSION).orElseThrow();
        assertEquals(OrderStatus.NEEDS_ATTENTION, order.status());
        assertNull(order.reservationId());
        assertEquals(List.of(new OrderMessage(OrderMessage.Type.ORDER_NEEDS_ATTENTION, SESSION, "stock_not_held")),
                events.published);
        assertEquals(1, counter.orders(today()));
        assertEquals(1, products.stock("RING-ARIA"));
    }

    /**
     * A checkout paid with a deactivated address after its reservation gave the stock back: that
     * the piece may be gone is what the owner must check (its pieces were not set aside), and the
     * order and the owner's mail say so alike.
     */
    @Test
    void aDeactivatedAddressPayingAfterItsStockWentBackNeedsTheOwnerForTheStock() {
        deactivated.add("ada@example.com");
        stock.release(reservation.id());
        stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", reservation.id()));

        deliver(SignedEvents.sessionEvent("checkout.session.completed", SESSION));

        var order = orders.find(SESSION).orElseThrow();
        assertEquals(OrderStatus.NEEDS_ATTENTION, order.status());
        assertNull(order.reservationId(), "took no stock");
        assertEquals("stock_not_held", order.attentionReason());
        assertEquals(List.of(new OrderMessage(OrderMessage.Type.ORDER_NEEDS_ATTENTION, SESSION, "stock_not_held")),
                events.published);
    }

    /**
     * Judged once: a stop before the owner's mail, then the address reactivated before Stripe's
     * retry, which finds nothing wrong with the session any more. The retry mails the reason the
     * order was recorded with.
     */
    @Test
    void aRetryQueuesTheOwnersMailForTheReasonTheOrderWasRecordedWith() {
        deactivated.add("ada@example.com");
        stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", reservation.id()));
        String completed = SignedEvents.sessionEvent("checkout.session.completed", SESSION);
        flakyEvents.failuresLeft = 1;
        assertThrows(IllegalStateException.class, () -> deliver(completed));
        deactivated.remove("ada@example.com");

        assertEquals(WebhookService.Outcome.PROCESSED, deliver(completed));

        assertEquals("deactivated_email", orders.find(SESSION).orElseThrow().attentionReason());
        assertEquals(List.of(new OrderMessage(OrderMessage.Type.ORDER_NEEDS_ATTENTION, SESSION, "deactivated_email")),
                events.published);
    }

    /** A stop between the order's transaction and the queue: the retry queues the owner's mail with the same reason. */
    @Test
    void aStopBeforeTheOwnersMailIsQueuedIsFinishedByTheRetryWithTheSameReason() {
        stock.release(reservation.id());
        stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", reservation.id()));
        String completed = SignedEvents.sessionEvent("checkout.session.completed", SESSION);

        flakyEvents.failuresLeft = 1;
        assertThrows(IllegalStateException.class, () -> deliver(completed));
        assertEquals(OrderStatus.NEEDS_ATTENTION, orders.find(SESSION).orElseThrow().status());
        assertTrue(events.published.isEmpty());

        assertEquals(WebhookService.Outcome.PROCESSED, deliver(completed));
        assertEquals(List.of(new OrderMessage(OrderMessage.Type.ORDER_NEEDS_ATTENTION, SESSION, "stock_not_held")),
                events.published);
        assertEquals(1, counter.orders(today()));
    }

    @Test
    void anEventOfTheOtherModeIsRefusedWithNothingWritten() {
        stripe.put(FakePaymentRecords.session(SESSION, "complete", "paid", reservation.id()));
        String live = SignedEvents.sessionEvent("checkout.session.completed", SESSION)
                .replace("\"livemode\": false", "\"livemode\": true");
        assertTrue(live.contains("\"livemode\": true"), live);

        assertThrows(shop.core.errors.InvalidInputException.class, () -> deliver(live));
        assertTrue(orders.orders.isEmpty());
        assertTrue(events.published.isEmpty());
        assertEquals(Reservation.Status.OPEN, reservationStore.find(reservation.id()).orElseThrow().status());
    }

    private WebhookService.Outcome deliver(String payload) {
        return service.receive(payload, SignedEvents.signature(payload));
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    private static <T> List<T> inParallel(int times, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < times; i++) {
                futures.add(pool.submit(task));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The queue, failing a given number of publishes. */
    private static final class FlakyEvents implements OrderEvents {
        private final OrderEvents target;
        volatile int failuresLeft;

        FlakyEvents(OrderEvents target) {
            this.target = target;
        }

        @Override
        public synchronized void publish(OrderMessage message) {
            if (failuresLeft > 0) {
                failuresLeft--;
                throw new IllegalStateException("SQS is down");
            }
            target.publish(message);
        }
    }
}
