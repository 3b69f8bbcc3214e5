package shop.adminrefunds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import shop.commerce.Money;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderItem;
import shop.commerce.orders.OrderTotals;
import shop.commerce.orders.OrderMessage;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.OrderStep;
import shop.commerce.orders.Refund;
import shop.commerce.testing.InMemoryOrderAccounts;
import shop.commerce.testing.InMemoryOrderStore;
import shop.commerce.testing.InMemoryProductStore;
import shop.local.stack.MutableClock;
import shop.commerce.testing.RecordingOrderEvents;
import shop.commerce.testing.Samples;
import shop.core.admin.AdminCaller;
import shop.core.errors.ConflictException;
import shop.core.errors.ForbiddenException;
import shop.core.errors.InvalidInputException;
import shop.core.errors.NotFoundException;

class RefundsServiceTest {
    private static final String ORDER = "cs_test_refund1";
    private static final AdminCaller OWNER = new AdminCaller("sub-owner", "olga", Set.of(AdminCaller.OWNERS));
    private static final AdminCaller STAFF = new AdminCaller("sub-staff", "sam", Set.of(AdminCaller.STAFF));
    private static final String KEY = "5b0e7a8c-1f2d-4e3a-9b6c-7d8e9f0a1b2c";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final InMemoryOrderStore orders = new InMemoryOrderStore();
    private final Fakes.Refunds stripe = new Fakes.Refunds();
    private final InMemoryProductStore products = new InMemoryProductStore().with(Samples.product("RING-ARIA", 18500, 0));
    private final RecordingOrderEvents events = new RecordingOrderEvents();
    private final Fakes.Audit audit = new Fakes.Audit();
    private final InMemoryOrderAccounts accounts = new InMemoryOrderAccounts(orders, products, audit);
    private final RefundsService service = new RefundsService(accounts, stripe, events, clock);

    @BeforeEach
    void paidOrder() {
        orders.create(Samples.order(ORDER, OrderStatus.PAID, "ada@example.com", "Ada"), 1_900_000_000L);
        stripe.paid.put("pi_123", 18500L);
    }

    @Test
    void halfARefundIsMadeRecordedAuditedAndMailedOnce() {
        var outcome = service.refund(OWNER, ORDER, new RefundRequest(9250L, "requested_by_customer", "Scratch", false), KEY);

        assertTrue(outcome.created());
        assertEquals(9250, outcome.refund().amount());
        assertEquals("olga", outcome.refund().by());
        assertEquals("Scratch", outcome.refund().note());
        assertEquals(9250, outcome.account().order().amountRefunded());
        assertEquals(OrderStatus.PAID, outcome.account().order().status());
        assertEquals(List.of(new OrderMessage(OrderMessage.Type.ORDER_REFUNDED, ORDER, "re_1")), events.published);
        assertEquals(1, audit.actions.size());
        assertEquals("order.refunded", audit.actions.get(0).action());
        assertEquals("ORDER#" + ORDER, audit.actions.get(0).subject());
        assertEquals(1_900_000_000L, audit.actions.get(0).expiresAt());
        assertTrue(audit.actions.get(0).before().contains("\"amountRefunded\":0"), audit.actions.get(0).before());
        assertTrue(audit.actions.get(0).after().contains("\"amountRefunded\":9250"), audit.actions.get(0).after());
        assertEquals(0, products.stock("RING-ARIA"), "no restock asked");
    }

    @Test
    void aRefundStripeFailedLeavesTheWholeAmountToRefundAndOnlyTheNewRefundIsMailed() {
        // A Dashboard refund whose failure reached the webhook before charge.refunded: recorded failed, never mailed.
        accounts.recordRefundFailure(accounts.find(ORDER).orElseThrow(), new Refund("re_dashboard", 18500, "usd", null,
                null, clock.instant(), Refund.BY_DASHBOARD, false, null).failedAs("failed", "lost_or_stolen_card",
                clock.instant()));

        var outcome = service.refund(OWNER, ORDER, new RefundRequest(18500L, "requested_by_customer", null, false), KEY);

        assertTrue(outcome.created());
        assertEquals(18500, outcome.account().order().amountRefunded());
        assertEquals(OrderStatus.REFUNDED, outcome.account().order().status());
        assertEquals(List.of(new OrderMessage(OrderMessage.Type.ORDER_REFUNDED, ORDER, "re_1")), events.published,
                "no 'we refunded you' for the refund that failed");
        assertTrue(outcome.account().refund("re_dashboard").orElseThrow().failed());
    }

    @Test
    void theSameFormTwiceRefundsOnceAndAnswersTheSameRefund() {
        var request = new RefundRequest(null, "requested_by_customer", null, true);
        var first = service.refund(OWNER, ORDER, request, KEY);
        var second = service.refund(OWNER, ORDER, request, KEY);

        assertTrue(first.created());
        assertFalse(second.created());
        assertEquals(first.refund(), second.refund());
        assertEquals(1, stripe.made.size());
        assertEquals(OrderStatus.REFUNDED, second.account().order().status());
        assertEquals(1, events.published.size());
        assertEquals(1, products.stock("RING-ARIA"), "the piece went back once");
    }

    @Test
    void theSameKeyOnAnotherOrderIsAnotherRefund() {
        orders.create(Samples.order("cs_test_refund2", OrderStatus.SHIPPED, "bo@example.com", "Bo"), 1_900_000_000L);
        stripe.paid.put("pi_123", 37000L);
        service.refund(OWNER, ORDER, new RefundRequest(100L, "duplicate", null, false), KEY);
        service.refund(OWNER, "cs_test_refund2", new RefundRequest(100L, "duplicate", null, false), KEY);
        assertEquals(2, stripe.made.size());
    }

    @Test
    void aFormWhoseRefundOnlyStripesEchoRecordedClaimsItWithItsLineWithoutAskingStripeAgain() {
        String key = RequestKeys.derive(ORDER, KEY);
        stripe.byKey.put(key, new PaymentRefunds.MadeRefund("re_echoed", 5000, "usd", "succeeded"));
        accounts.addRefund(ORDER, new Refund("re_echoed", 5000, "usd", "duplicate", null, clock.instant(),
                Refund.BY_BACK_OFFICE, false, key));

        // The form sent again after its first request stopped between Stripe and its own record.
        var outcome = service.refund(OWNER, ORDER, new RefundRequest(5000L, "duplicate", "Charged twice", false), KEY);

        assertTrue(outcome.created(), "this request recorded the owner's refund");
        assertEquals("re_echoed", outcome.refund().stripeRefundId());
        assertEquals("olga", accounts.find(ORDER).orElseThrow().refunds().get(0).by());
        assertEquals(5000, accounts.find(ORDER).orElseThrow().order().amountRefunded());
        assertEquals(0, stripe.calls, "found by its key before Stripe was asked");
        assertEquals(List.of("order.refunded"), audit.actions.stream().map(a -> a.action()).toList());

        var again = service.refund(OWNER, ORDER, new RefundRequest(5000L, "duplicate", "Charged twice", false), KEY);
        assertFalse(again.created());
        assertEquals(1, audit.actions.size(), "one line per refund");
    }

    @Test
    void aRefundWhoseEchoWasRecordedFirstIsClaimedWithTheOwnersNameAndNote() {
        String key = RequestKeys.derive(ORDER, KEY);
        stripe.paid.put("pi_123", 18500L);
        var request = new RefundRequest(5000L, "duplicate", "Charged twice", false);
        // Stripe makes the refund; its echo is recorded before the back office records it.
        Fakes.Refunds echoing = new Fakes.Refunds() {
            @Override
            public synchronized MadeRefund create(String pi, Long amount, String reason, String orderId, String k) {
                MadeRefund made = super.create(pi, amount, reason, orderId, k);
                accounts.addRefund(ORDER, new Refund(made.id(), made.amount(), "usd", reason, null, clock.instant(),
                        Refund.BY_BACK_OFFICE, false, k));
                return made;
            }
        };
        echoing.paid.put("pi_123", 18500L);
        var racing = new RefundsService(accounts, echoing, events, clock);

        var outcome = racing.refund(OWNER, ORDER, request, KEY);

        assertTrue(outcome.created());
        assertEquals("olga", outcome.refund().by());
        assertEquals("Charged twice", outcome.refund().note());
        assertEquals(key, outcome.refund().requestKey());
        assertEquals(5000, accounts.find(ORDER).orElseThrow().order().amountRefunded());
        assertEquals(1, accounts.find(ORDER).orElseThrow().refunds().size());
        assertEquals(1, audit.actions.size());
    }

    @Test
    void staffMayNotRefundAndNothingHappens() {
        assertThrows(ForbiddenException.class,
                () -> service.refund(STAFF, ORDER, new RefundRequest(100L, "duplicate", null, false), KEY));
        assertThrows(ForbiddenException.class, () -> service.restock(STAFF, ORDER));
        assertNothingHappened();
    }

    @ParameterizedTest
    @ValueSource(longs = {18501, 1_000_000_000L})
    void moreThanIsLeftIsAConflictWithoutAStripeCall(long amount) {
        var e = assertThrows(ConflictException.class,
                () -> service.refund(OWNER, ORDER, new RefundRequest(amount, "duplicate", null, false), KEY));
        assertTrue(e.getMessage().contains("At most $185.00 can still be refunded"), e.getMessage());
        assertNothingHappened();
    }

    /** Stripe refunds ISK in whole krónur (two-decimal amounts ending in 00), as it charges them. */
    @Test
    void aKronaRefundIsInWholeKronurOrRefusedBeforeStripe() {
        Money ring = Money.of(2500000, "ISK");
        Money none = Money.of(0, "ISK");
        Order sample = Samples.order("cs_test_isk", OrderStatus.PAID, "ada@example.com", "Ada");
        orders.create(new Order(sample.id(), sample.number(), sample.status(), sample.reservationId(),
                sample.customerName(), sample.customerEmail(), sample.shipping(), sample.billing(),
                List.of(new OrderItem("RING-ARIA", "Aria ring", 1, ring, ring)),
                new OrderTotals(ring, none, none, none, ring), 0, "pi_isk", false, sample.createdAt(), sample.paidAt(),
                Set.of(), null), 1_900_000_001L);
        stripe.paid.put("pi_isk", 2500000L);

        var refused = assertThrows(InvalidInputException.class, () -> service.refund(OWNER, "cs_test_isk",
                new RefundRequest(50050L, "requested_by_customer", null, false), KEY));

        assertEquals("amount", refused.field());
        assertEquals("Stripe refunds ISK in steps of ISK 1: ISK 500.5 cannot be refunded; use ISK 500 or ISK 501.",
                refused.getMessage());
        assertEquals(0, stripe.calls, "Stripe not asked");
        assertEquals(50000, service.refund(OWNER, "cs_test_isk",
                new RefundRequest(50000L, "requested_by_customer", null, false), KEY).refund().amount());
    }

    @Test
    void aSecondRefundMayTakeOnlyWhatIsLeft() {
        service.refund(OWNER, ORDER, new RefundRequest(18000L, "requested_by_customer", null, false), KEY);
        assertThrows(ConflictException.class, () -> service.refund(OWNER, ORDER,
                new RefundRequest(501L, "requested_by_customer", null, false), "another-key-0001"));
        var rest = service.refund(OWNER, ORDER, new RefundRequest(null, "requested_by_customer", null, false),
                "another-key-0002");
        assertEquals(500, rest.refund().amount());
        assertEquals(OrderStatus.REFUNDED, rest.account().order().status());
        assertThrows(ConflictException.class, () -> service.refund(OWNER, ORDER,
                new RefundRequest(null, "requested_by_customer", null, false), "another-key-0003"));
        assertEquals(2, stripe.calls);
    }

    @Test
    void unpaidUnknownOrMalformedOrdersAreRefusedWithoutAStripeCall() {
        orders.create(Samples.order("cs_test_pending", OrderStatus.PENDING_PAYMENT, "a@example.com", "A"), 1L);
        var request = new RefundRequest(100L, "duplicate", null, false);
        assertThrows(ConflictException.class, () -> service.refund(OWNER, "cs_test_pending", request, KEY));
        assertThrows(NotFoundException.class, () -> service.refund(OWNER, "cs_test_nobody", request, KEY));
        assertThrows(NotFoundException.class, () -> service.refund(OWNER, "ORDER#../x", request, KEY));
        assertThrows(InvalidInputException.class, () -> service.refund(OWNER, ORDER, request, null));
        assertThrows(InvalidInputException.class, () -> service.refund(OWNER, ORDER, request, "short"));
        assertNothingHappened();
    }

    @Test
    void badRequestsAreRefusedBeforeAnything() {
        assertThrows(InvalidInputException.class, () -> new RefundRequest(0L, "duplicate", null, false));
        assertThrows(InvalidInputException.class, () -> new RefundRequest(-5L, "duplicate", null, false));
        assertThrows(InvalidInputException.class, () -> new RefundRequest(5L, "because", null, false));
        assertThrows(InvalidInputException.class, () -> new RefundRequest(5L, null, null, false));
        assertThrows(InvalidInputException.class, () -> new RefundRequest(5L, "duplicate", "x".repeat(501), false));
        assertThrows(InvalidInputException.class, () -> new RefundRequest(5L, "duplicate", "bell\u0007", false));
    }

    @Test
    void piecesGoBackOnSaleOnceWhetherByTheRefundOrTheAction() {
        assertThrows(ConflictException.class, () -> service.restock(OWNER, ORDER), "not refunded yet");

        service.refund(OWNER, ORDER, new RefundRequest(100L, "requested_by_customer", null, false), KEY);
        service.restock(OWNER, ORDER);
        assertEquals(1, products.stock("RING-ARIA"));
        assertThrows(ConflictException.class, () -> service.restock(OWNER, ORDER));
        var again = service.refund(OWNER, ORDER, new RefundRequest(100L, "requested_by_customer", null, true),
                "another-key-0004");
        assertFalse(again.restocked());
        assertEquals(1, products.stock("RING-ARIA"));
        assertEquals(List.of("order.refunded", "order.restocked", "order.refunded"),
                audit.actions.stream().map(a -> a.action()).toList());
    }

    @Test
    void aPaymentThatNeedsAttentionIsRefundableButPutsNoPiecesItNeverTookBackOnSale() {
        Order unbound = Samples.order("cs_test_paymentlink", OrderStatus.NEEDS_ATTENTION, "eve@example.com", "Eve");
        orders.create(new Order(unbound.id(), unbound.number(), unbound.status(), null, unbound.customerName(),
                unbound.customerEmail(), unbound.shipping(), unbound.billing(), unbound.items(), unbound.totals(),
                unbound.amountRefunded(), "pi_link", unbound.livemode(), unbound.createdAt(), unbound.paidAt(),
                unbound.done(), unbound.attentionReason()), 1_900_000_000L);
        stripe.paid.put("pi_link", 18500L);

        var outcome = service.refund(OWNER, "cs_test_paymentlink", new RefundRequest(null, "requested_by_customer", null, true),
                KEY);

        assertTrue(outcome.created());
        assertEquals(OrderStatus.REFUNDED, outcome.account().order().status());
        assertFalse(outcome.restocked());
        assertThrows(ConflictException.class, () -> service.restock(OWNER, "cs_test_paymentlink"));
        assertEquals(0, products.stock("RING-ARIA"), "no piece made out of nothing");
    }

    /** Accepted by the owner since, it took its pieces then ({@code STOCK_TAKEN}): a refund's restock gives them back. */
    @Test
    void aPaymentLinkOrderTheOwnerAcceptedPutsThePiecesItsAcceptanceTookBackOnSale() {
        Order unbound = Samples.order("cs_test_accepted_link", OrderStatus.PAID, "eve@example.com", "Eve");
        orders.create(new Order(unbound.id(), unbound.number(), unbound.status(), null, unbound.customerName(),
                unbound.customerEmail(), unbound.shipping(), unbound.billing(), unbound.items(), unbound.totals(),
                unbound.amountRefunded(), "pi_accepted", unbound.livemode(), unbound.createdAt(), unbound.paidAt(),
                Set.of(OrderStep.ATTENTION_MAIL, OrderStep.STOCK_TAKEN), "no_reservation"), 1_900_000_000L);
        stripe.paid.put("pi_accepted", 18500L);

        var outcome = service.refund(OWNER, "cs_test_accepted_link",
                new RefundRequest(null, "requested_by_customer", null, true), KEY);

        assertTrue(outcome.restocked());
        assertEquals(1, products.stock("RING-ARIA"));
    }

    /** A two-piece order (a ring, two earrings) whose customer sent one earring back. */
    private static final String TWO = "cs_test_twopieces";

    private void twoPieceOrder() {
        products.with(Samples.product("EAR-LUNA", 4000, 0));
        orders.create(Samples.order(TWO, OrderStatus.SHIPPED, new java.util.TreeMap<>(java.util.Map.of("RING-ARIA", 1,
                "EAR-LUNA", 2))), 1_900_000_000L);
        service.refund(OWNER, TWO, new RefundRequest(4000L, "requested_by_customer", "One earring back", false), KEY);
    }

    private static RestockRequest back(String sku, int quantity, java.util.Map<String, Integer> read) {
        return new RestockRequest(List.of(new RestockRequest.Line(sku, quantity)), read);
    }

    @Test
    void onlyThePieceThatCameBackGoesBackOnSaleAndTheRestLater() {
        twoPieceOrder();

        var after = service.restock(OWNER, TWO, back("EAR-LUNA", 1, java.util.Map.of()));

        assertEquals(java.util.Map.of("EAR-LUNA", 1, "RING-ARIA", 0), after.restockedPieces());
        assertEquals(null, after.restockedAt(), "not everything is back");
        assertEquals(List.of(0, 1), List.of(products.stock("RING-ARIA"), products.stock("EAR-LUNA")),
                "the kept ring is not sold a second time");
        var line = audit.actions.get(audit.actions.size() - 1);
        assertEquals("order.restocked", line.action());
        assertEquals("{\"restockedPieces\":{\"EAR-LUNA\":0,\"RING-ARIA\":0},\"everythingBack\":false}", line.before());
        assertEquals("{\"restockedPieces\":{\"EAR-LUNA\":1,\"RING-ARIA\":0},\"everythingBack\":false,"
                + "\"pieces\":{\"EAR-LUNA\":1}}", line.after());

        // The same press again (a double click, a retried request): the page's read is stale now.
        var again = assertThrows(ConflictException.class,
                () -> service.restock(OWNER, TWO, back("EAR-LUNA", 1, java.util.Map.of())));
        assertTrue(again.getMessage().contains("1 of 2 pieces of EAR-LUNA are back on sale now, the page read 0"),
                again.getMessage());
        assertEquals(1, products.stock("EAR-LUNA"), "never twice");

        // The second earring comes back later, from the counts as read then; then the ring, by "everything left".
        service.restock(OWNER, TWO, back("EAR-LUNA", 1, java.util.Map.of("EAR-LUNA", 1, "RING-ARIA", 0)));
        var all = service.restock(OWNER, TWO);
        assertEquals(clock.instant(), all.restockedAt(), "everything is back with the last piece");
        assertEquals(List.of(1, 2), List.of(products.stock("RING-ARIA"), products.stock("EAR-LUNA")));
        assertThrows(ConflictException.class, () -> service.restock(OWNER, TWO), "nothing is left to put back");
        assertEquals(List.of("order.refunded", "order.restocked", "order.restocked", "order.restocked"),
                audit.actions.stream().map(a -> a.action()).toList());
    }

    @Test
    void aChoiceOfPiecesTheOrderDoesNotHoldIsRefusedWithNothingWritten() {
        twoPieceOrder();
        var empty = java.util.Map.<String, Integer>of();

        var unknown = assertThrows(InvalidInputException.class, () -> service.restock(OWNER, TWO, back("NECK-1", 1, empty)));
        assertTrue(unknown.getMessage().contains("has no piece with SKU NECK-1"), unknown.getMessage());
        var tooMany = assertThrows(InvalidInputException.class, () -> service.restock(OWNER, TWO, back("EAR-LUNA", 3, empty)));
        assertEquals("2 of the 2 pieces of EAR-LUNA on order " + orders.find(TWO).orElseThrow().number()
                + " can still go back on sale; 3 was asked.", tooMany.getMessage());
        assertThrows(InvalidInputException.class, () -> back("EAR-LUNA", 0, empty));
        assertThrows(InvalidInputException.class, () -> back("EAR-LUNA", -1, empty));
        assertThrows(InvalidInputException.class, () -> back("", 1, empty));
        assertThrows(InvalidInputException.class, () -> back("EAR-LUNA", 1, null), "the counts as read are required");
        assertThrows(InvalidInputException.class, () -> back("EAR-LUNA", 1, java.util.Map.of("EAR-LUNA", -1)));
        assertThrows(InvalidInputException.class, () -> new RestockRequest(List.of(), empty));
        assertThrows(InvalidInputException.class, () -> new RestockRequest(List.of(new RestockRequest.Line("EAR-LUNA", 1),
                new RestockRequest.Line("EAR-LUNA", 1)), empty), "a SKU twice");
        assertThrows(ForbiddenException.class, () -> service.restock(STAFF, TWO, back("EAR-LUNA", 1, empty)));

        assertEquals(List.of(0, 0), List.of(products.stock("RING-ARIA"), products.stock("EAR-LUNA")));
        assertEquals(List.of("order.refunded"), audit.actions.stream().map(a -> a.action()).toList());
        assertEquals(java.util.Map.of(), accounts.find(TWO).orElseThrow().restockedPieces());
    }

    @Test
    void aRefundPutsBackOnlyTheLinesItNamesAndItsRepeatPutsNothingBackTwice() {
        products.with(Samples.product("EAR-LUNA", 4000, 0));
        orders.create(Samples.order(TWO, OrderStatus.SHIPPED, java.util.Map.of("RING-ARIA", 1, "EAR-LUNA", 2)),
                1_900_000_000L);
        var form = new RefundRequest(4000L, "requested_by_customer", null, back("EAR-LUNA", 1, java.util.Map.of()));

        var first = service.refund(OWNER, TWO, form, KEY);
        var repeat = service.refund(OWNER, TWO, form, KEY);

        assertTrue(first.restocked());
        assertTrue(first.refund().restocked());
        assertFalse(repeat.restocked(), "its piece went back with the first");
        assertEquals(List.of(0, 1), List.of(products.stock("RING-ARIA"), products.stock("EAR-LUNA")));
        assertEquals(java.util.Map.of("EAR-LUNA", 1, "RING-ARIA", 0), repeat.account().restockedPieces());
        assertEquals(List.of("order.refunded", "order.restocked"), audit.actions.stream().map(a -> a.action()).toList());
    }

    @Test
    void aRefundWhoseChoiceOfPiecesIsStaleOrWrongRefundsNothing() {
        twoPieceOrder();
        service.restock(OWNER, TWO, back("EAR-LUNA", 1, java.util.Map.of()));
        int calls = stripe.calls;

        assertThrows(ConflictException.class, () -> service.refund(OWNER, TWO, new RefundRequest(4000L,
                "requested_by_customer", null, back("EAR-LUNA", 1, java.util.Map.of())), "another-key-0005"));
        assertThrows(InvalidInputException.class, () -> service.refund(OWNER, TWO, new RefundRequest(4000L,
                "requested_by_customer", null, back("NECK-1", 1, java.util.Map.of())), "another-key-0006"));

        assertEquals(calls, stripe.calls, "Stripe not asked");
        assertEquals(4000, accounts.find(TWO).orElseThrow().order().amountRefunded());
        assertEquals(1, products.stock("EAR-LUNA"));
    }

    private void assertNothingHappened() {
        assertEquals(0, stripe.calls);
        assertEquals(0, orders.find(ORDER).orElseThrow().amountRefunded());
        assertTrue(events.published.isEmpty());
        assertTrue(audit.actions.isEmpty());
        assertEquals(0, products.stock("RING-ARIA"));
    }
}
