package shop.adminorders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import shop.commerce.orders.OrderMessage;
import shop.commerce.orders.OrderStatus;
import shop.core.admin.AdminCaller;
import shop.core.errors.ConflictException;
import shop.core.errors.ForbiddenException;
import shop.core.errors.InvalidInputException;
import shop.core.errors.NotFoundException;
import shop.core.json.Json;

class AdminOrdersServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final AdminCaller STAFF = new AdminCaller("sub-staff", "sam", Set.of("staff"));
    private static final String URL = "https://track.example.com/RM123456789GB";

    private final Fakes.Book book = new Fakes.Book();
    private final Fakes.Events events = new Fakes.Events();
    private final Fakes.Trail trail = book.trail;
    private final Fakes.Exports exports = new Fakes.Exports();
    /** The pool's accounts: "sam" is the generated username a token carries, the address what people know. */
    private final AdminNames names = username -> username.equals("sam") ? Optional.of("sam@shop.example")
            : Optional.empty();
    private final AdminOrdersService service = new AdminOrdersService(book, events, trail, exports, names,
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void shippingAPaidOrderRecordsItAuditsItAndQueuesTheMailOnce() {
        book.add(Fakes.order("cs_test_ship1", OrderStatus.PAID, NOW.minusSeconds(3600)));

        Map<String, Object> shipped = service.ship(STAFF, "cs_test_ship1", "Royal Mail", "RM123456789GB", URL);

        assertEquals("SHIPPED", shipped.get("status"));
        assertEquals(NOW.toString(), shipped.get("fulfilledAt"));
        assertEquals(List.of(new OrderMessage(OrderMessage.Type.ORDER_SHIPPED, "cs_test_ship1")), events.published);
        assertEquals(1, trail.actions.size());
        assertEquals("order.shipped", trail.actions.get(0).action());
        assertEquals("sam", trail.actions.get(0).actorName());
        assertEquals(2_000_000_000L, trail.actions.get(0).expiresAt(), "kept as long as the order");
        assertTrue(trail.actions.get(0).after().contains("RM123456789GB"));
        assertEquals(1, ((List<?>) shipped.get("trail")).size());
    }

    @Test
    void theRecordNamesWhoShippedAndWhoActedByTheirSignInAddress() {
        book.add(Fakes.order("cs_test_ship_named", OrderStatus.PAID, NOW));

        Map<String, Object> shipped = service.ship(STAFF, "cs_test_ship_named", "Royal Mail", "RM123456789GB", URL);

        assertEquals("sam", trail.actions.get(0).actorName(), "stored as the token named them");
        assertEquals("sam@shop.example", ((Map<?, ?>) ((List<?>) shipped.get("trail")).get(0)).get("by"));
        assertEquals("sam@shop.example", ((Map<?, ?>) shipped.get("shipment")).get("by"));

        book.add(Fakes.order("cs_test_ship_gone", OrderStatus.PAID, NOW));
        AdminCaller gone = new AdminCaller("sub-gone", "a-deleted-account", Set.of("owners"));
        Map<String, Object> byGone = service.ship(gone, "cs_test_ship_gone", "Royal Mail", "RM123456789GB", URL);
        assertEquals("a-deleted-account", ((Map<?, ?>) byGone.get("shipment")).get("by"), "no account: as recorded");
    }

    @Test
    void theSameShipmentAgainChangesNothingButQueuesTheMailAgainForTheClaimToDeduplicate() {
        book.add(Fakes.order("cs_test_ship2", OrderStatus.PAID, NOW));
        service.ship(STAFF, "cs_test_ship2", "Royal Mail", "RM123456789GB", URL);

        Map<String, Object> again = service.ship(STAFF, "cs_test_ship2", " Royal Mail ", "RM123456789GB", URL);

        assertEquals("SHIPPED", again.get("status"));
        assertEquals(2, events.published.size());
        assertEquals(1, trail.actions.size(), "one shipment, one trail line");
    }

    @Test
    void aQueueFailureAfterTheStatusChangedIsMadeGoodByPressingAgain() {
        book.add(Fakes.order("cs_test_ship3", OrderStatus.PAID, NOW));
        events.failures = 1;

        assertThrows(IllegalStateException.class,
                () -> service.ship(STAFF, "cs_test_ship3", "Royal Mail", "RM123456789GB", URL));
        assertEquals("SHIPPED", book.orders.get("cs_test_ship3").get("status"));
        assertTrue(events.published.isEmpty());

        service.ship(STAFF, "cs_test_ship3", "Royal Mail", "RM123456789GB", URL);

        assertEquals(1, events.published.size());
    }

    @Test
    void shippingAnOrderErasedWhileToShipRemovesTheNameAndAddressAlsoWhenPressedAgainAfterAStop() {
        Map<String, Object> order = Fakes.order("cs_test_ship_erased", OrderStatus.PAID, NOW);
        order.remove("customerEmail");
        order.put("shippingKeptUntilDone", NOW.toString());
        book.add(order);
        book.finishFailures = 1;

        assertThrows(IllegalStateException.class,
                () -> service.ship(STAFF, "cs_test_ship_erased", "Royal Mail", "RM123456789GB", URL));
        assertEquals("SHIPPED", book.orders.get("cs_test_ship_erased").get("status"));
        assertTrue(book.orders.get("cs_test_ship_erased").containsKey("shippingKeptUntilDone"), "stopped in between");

        service.ship(STAFF, "cs_test_ship_erased", "Royal Mail", "RM123456789GB", URL);

        Map<String, Object> finished = book.orders.get("cs_test_ship_erased");
        assertFalse(finished.containsKey("shippingKeptUntilDone"));
        assertFalse(finished.containsKey("customerName"));
        assertEquals(Map.of("country", "US"), finished.get("shipping"));
    }

    @Test
    void anotherParcelForAShippedOrderIsAConflict() {
        book.add(Fakes.order("cs_test_ship4", OrderStatus.PAID, NOW));
        service.ship(STAFF, "cs_test_ship4", "Royal Mail", "RM123456789GB", URL);

        assertThrows(ConflictException.class,
                () -> service.ship(STAFF, "cs_test_ship4", "DHL", "JD0000001", "https://dhl.example.com/JD0000001"));
        assertEquals(1, events.published.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"PENDING_PAYMENT", "FAILED", "REFUNDED"})
    void onlyAPaidOrderShips(String status) {
        book.add(Fakes.order("cs_test_ship5", OrderStatus.valueOf(status), NOW));

        assertThrows(ConflictException.class, () -> service.ship(STAFF, "cs_test_ship5", "Royal Mail", "RM1", URL));
        assertEquals(status, book.orders.get("cs_test_ship5").get("status"));
        assertTrue(events.published.isEmpty() && trail.actions.isEmpty());
    }

    private static final AdminCaller OWNER = new AdminCaller("sub-owner", "olive", Set.of("owners"));

    /** An order a Payment Link made: NEEDS_ATTENTION, naming no reservation (2 × RING-ARIA, created on 25 November). */
    private Map<String, Object> unbound(String id) {
        Map<String, Object> order = Fakes.order(id, OrderStatus.NEEDS_ATTENTION, NOW.minusSeconds(3600));
        order.put("attentionReason", "no_reservation");
        order.put("done", List.of("ATTENTION_MAIL"));
        book.add(order);
        return order;
    }

    @Test
    void acceptingAnOrderThatTookNoStockTakesItsPiecesCountsItAuditsItAndConfirmsItOnce() {
        unbound("cs_test_accept1");
        book.stock.put("RING-ARIA", 5);

        Map<String, Object> accepted = service.accept(OWNER, "cs_test_accept1", "  Checked with the customer by phone ", false);

        assertEquals("PAID", accepted.get("status"));
        assertEquals(NOW.toString(), accepted.get("acceptedAt"));
        assertEquals(3, book.stock.get("RING-ARIA"), "two pieces taken");
        assertTrue(((List<?>) accepted.get("done")).containsAll(List.of("STOCK_TAKEN", "PAID_EFFECTS")));
        assertEquals(Set.of("cs_test_accept1"), book.counted.get(LocalDate.parse("2026-11-25")));
        assertEquals(List.of(new OrderMessage(OrderMessage.Type.ORDER_PAID, "cs_test_accept1")), events.published);
        assertEquals(1, trail.actions.size());
        var line = trail.actions.get(0);
        assertEquals("order.accepted", line.action());
        assertEquals("olive", line.actorName());
        assertEquals("{\"status\":\"NEEDS_ATTENTION\"}", line.before());
        assertEquals(Map.of("status", "PAID", "piecesTaken", Map.of("RING-ARIA", 2), "note", "Checked with the customer by phone"),
                readMap(line.after()));
        assertEquals(2_000_000_000L, line.expiresAt(), "kept as long as the order");
    }

    private static Map<?, ?> readMap(String json) {
        try {
            return Json.mapper().readValue(json, Map.class);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void acceptingAnOrderSoldToItsReservationTakesNothingMore() {
        Map<String, Object> order = unbound("cs_test_accept_bound");
        order.put("reservationId", "res_bound");
        book.stock.put("RING-ARIA", 5);

        Map<String, Object> accepted = service.accept(OWNER, "cs_test_accept_bound", null, false);

        assertEquals("PAID", accepted.get("status"));
        assertEquals(5, book.stock.get("RING-ARIA"), "its piece was sold to it when it was paid");
        assertFalse(((List<?>) accepted.get("done")).contains("STOCK_TAKEN"));
        assertFalse(trail.actions.get(0).after().contains("piecesTaken"));
        assertFalse(trail.actions.get(0).after().contains("note"));
        assertEquals(1, events.published.size());
    }

    @Test
    void aPieceNoLongerInStockIsAConflictNamingItAndNothingIsWritten() {
        unbound("cs_test_accept_gone");
        book.stock.put("RING-ARIA", 1);

        ConflictException refused = assertThrows(ConflictException.class,
                () -> service.accept(OWNER, "cs_test_accept_gone", "ship it", false));

        assertTrue(refused.getMessage().contains("RING-ARIA"), refused.getMessage());
        assertTrue(refused.getMessage().contains("refund"), refused.getMessage());
        assertEquals("NEEDS_ATTENTION", book.orders.get("cs_test_accept_gone").get("status"));
        assertEquals(1, book.stock.get("RING-ARIA"));
        assertTrue(book.counted.isEmpty() && trail.actions.isEmpty() && events.published.isEmpty());
    }

    @Test
    void anArchivedPieceIsAConflictNamingItArchivedAndNothingIsWritten() {
        unbound("cs_test_accept_archived");
        book.stock.put("RING-ARIA", 5);
        book.archived.add("RING-ARIA");

        ConflictException refused = assertThrows(ConflictException.class,
                () -> service.accept(OWNER, "cs_test_accept_archived", "ship it", false));

        assertTrue(refused.getMessage().contains("RING-ARIA is archived"), refused.getMessage());
        assertTrue(refused.getMessage().contains("takeArchived"), refused.getMessage());
        assertEquals("NEEDS_ATTENTION", book.orders.get("cs_test_accept_archived").get("status"));
        assertEquals(5, book.stock.get("RING-ARIA"), "an archived piece is not taken without the owner's word");
        assertTrue(book.counted.isEmpty() && trail.actions.isEmpty() && events.published.isEmpty());
    }

    @Test
    void theOwnersExplicitWordTakesAnArchivedPieceAndTheTrailSaysSo() {
        unbound("cs_test_accept_archived_taken");
        book.stock.put("RING-ARIA", 5);
        book.archived.add("RING-ARIA");

        Map<String, Object> accepted = service.accept(OWNER, "cs_test_accept_archived_taken", "on the shelf", true);

        assertEquals("PAID", accepted.get("status"));
        assertEquals(3, book.stock.get("RING-ARIA"));
        assertEquals(Map.of("status", "PAID", "piecesTaken", Map.of("RING-ARIA", 2), "takeArchived", true,
                "note", "on the shelf"), readMap(trail.actions.get(0).after()));
        assertEquals(List.of(new OrderMessage(OrderMessage.Type.ORDER_PAID, "cs_test_accept_archived_taken")),
                events.published);
    }

    @Test
    void anArchivedPieceThatIsGoneTooIsGoneWhateverTheOwnerSays() {
        unbound("cs_test_accept_archived_gone");
        book.stock.put("RING-ARIA", 1);
        book.archived.add("RING-ARIA");

        ConflictException refused = assertThrows(ConflictException.class,
                () -> service.accept(OWNER, "cs_test_accept_archived_gone", null, true));

        assertTrue(refused.getMessage().contains("RING-ARIA is no longer in stock"), refused.getMessage());
        assertEquals("NEEDS_ATTENTION", book.orders.get("cs_test_accept_archived_gone").get("status"));
    }

    @Test
    void aRepeatOfAnAcceptanceAnswersTheOrderAndDoesNothingTwice() {
        unbound("cs_test_accept_twice");
        book.stock.put("RING-ARIA", 5);
        service.accept(OWNER, "cs_test_accept_twice", "first", false);

        Map<String, Object> again = service.accept(OWNER, "cs_test_accept_twice", "second", false);

        assertEquals("PAID", again.get("status"));
        assertEquals(3, book.stock.get("RING-ARIA"));
        assertEquals(1, trail.actions.size());
        assertEquals(1, events.published.size(), "the confirmation queued once");
    }

    @Test
    void aQueueFailureAfterTheAcceptanceIsMadeGoodByPressingAgain() {
        unbound("cs_test_accept_queue");
        book.stock.put("RING-ARIA", 5);
        events.failures = 1;

        assertThrows(IllegalStateException.class, () -> service.accept(OWNER, "cs_test_accept_queue", null, false));
        assertEquals("PAID", book.orders.get("cs_test_accept_queue").get("status"));
        assertTrue(events.published.isEmpty());

        service.accept(OWNER, "cs_test_accept_queue", null, false);

        assertEquals(List.of(new OrderMessage(OrderMessage.Type.ORDER_PAID, "cs_test_accept_queue")), events.published);
        assertEquals(3, book.stock.get("RING-ARIA"), "taken once");
        assertEquals(1, trail.actions.size());
    }

    @Test
    void staffMayNotAccept() {
        unbound("cs_test_accept_staff");
        book.stock.put("RING-ARIA", 5);

        assertThrows(ForbiddenException.class, () -> service.accept(STAFF, "cs_test_accept_staff", null, false));

        assertEquals("NEEDS_ATTENTION", book.orders.get("cs_test_accept_staff").get("status"));
        assertTrue(trail.actions.isEmpty() && events.published.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"PAID", "SHIPPED", "REFUNDED", "PENDING_PAYMENT", "FAILED"})
    void onlyAnOrderThatNeedsAttentionIsAccepted(String status) {
        book.add(Fakes.order("cs_test_accept_other", OrderStatus.valueOf(status), NOW));
        book.stock.put("RING-ARIA", 5);

        assertThrows(ConflictException.class, () -> service.accept(OWNER, "cs_test_accept_other", null, false));

        assertEquals(status, book.orders.get("cs_test_accept_other").get("status"));
        assertTrue(trail.actions.isEmpty() && events.published.isEmpty());
    }

    @Test
    void anUnknownOrderIsNotFoundAndALongNoteABadRequest() {
        assertThrows(NotFoundException.class, () -> service.accept(OWNER, "cs_test_never_ordered", null, false));
        unbound("cs_test_accept_note");
        assertThrows(InvalidInputException.class, () -> service.accept(OWNER, "cs_test_accept_note", "x".repeat(501), false));
        assertThrows(InvalidInputException.class, () -> service.accept(OWNER, "cs_test_accept_note", "a\u0000b", false));
        assertEquals("NEEDS_ATTENTION", book.orders.get("cs_test_accept_note").get("status"));
    }

    /** From the order itself: no owner's mail recorded yet (its queue slow or failing), and still once accepted. */
    @Test
    void theRecordSaysWhyAnOrderNeedsTheOwnerBeforeAnyMailAndAfterItIsAccepted() {
        unbound("cs_test_accept_why");
        book.stock.put("RING-ARIA", 5);

        Map<String, Object> before = service.detail("cs_test_accept_why");
        service.accept(OWNER, "cs_test_accept_why", null, false);

        assertEquals("no_reservation", before.get("attentionReason"), before.toString());
        assertEquals(List.of(), before.get("mails"));
        Map<String, Object> after = service.detail("cs_test_accept_why");
        assertEquals("PAID", after.get("status"));
        assertEquals("no_reservation", after.get("attentionReason"), "why it needed the owner: " + after);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://track.example.com/x", "javascript:alert(1)", "https://", "//track.example.com/x",
            "https://user:pw@track.example.com/x", "https://track.example.com/\"><script>", "data:text/html,hi",
            "https://track.example.com/a b", "ftp://track.example.com/x", "https://track.example.com/x\n"})
    void theTrackingLinkIsHttpsToAHostAndNothingElse(String url) {
        book.add(Fakes.order("cs_test_ship6", OrderStatus.PAID, NOW));

        assertThrows(InvalidInputException.class, () -> service.ship(STAFF, "cs_test_ship6", "Royal Mail", "RM1", url));
        assertEquals("PAID", book.orders.get("cs_test_ship6").get("status"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "Royal\nMail", "Royal\u202eMail", "Royal\u0000Mail"})
    void theCarrierIsOneLineOfPrintableText(String carrier) {
        book.add(Fakes.order("cs_test_ship7", OrderStatus.PAID, NOW));

        assertThrows(InvalidInputException.class, () -> service.ship(STAFF, "cs_test_ship7", carrier, "RM1", URL));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cs_test_unknown", "pi_123", "ORDER#cs_x", "../cs_x", ""})
    void anUnknownOrMalformedIdIsNotFound(String id) {
        assertThrows(NotFoundException.class, () -> service.detail(id));
        assertThrows(NotFoundException.class, () -> service.packingSlip(id));
        assertThrows(NotFoundException.class, () -> service.ship(STAFF, id, "Royal Mail", "RM1", URL));
    }

    @Test
    void theDetailIsTheWholeRecordWithMailsAndTrailButNoIndexPlumbing() {
        Map<String, Object> order = Fakes.order("cs_test_detail", OrderStatus.PAID, NOW);
        order.put("refunds", List.of(Map.of("stripeRefundId", "re_1", "amount", 500L)));
        order.put("dispute", Map.of("id", "dp_1", "status", "needs_response"));
        book.add(order);
        book.mails.put("cs_test_detail", List.of(Map.of("pk", "MAIL#cs_test_detail#CUSTOMER_CONFIRMATION",
                "status", "SENT", "sentAt", NOW.toString()), Map.of("pk", "MAIL#cs_test_detail#ORDER_REFUNDED#re_1",
                "status", "SENT", "sentAt", NOW.toString())));

        Map<String, Object> detail = service.detail("cs_test_detail");

        assertEquals("cs_test_detail", detail.get("id"));
        assertEquals("ada@example.com", detail.get("customerEmail"));
        assertTrue(detail.containsKey("billing") && detail.containsKey("shipping"));
        assertEquals(List.of(Map.of("stripeRefundId", "re_1", "amount", 500L)), detail.get("refunds"));
        assertEquals("dp_1", ((Map<?, ?>) detail.get("dispute")).get("id"));
        assertEquals("CUSTOMER_CONFIRMATION", ((Map<?, ?>) ((List<?>) detail.get("mails")).get(0)).get("kind"));
        Map<?, ?> refundMail = (Map<?, ?>) ((List<?>) detail.get("mails")).get(1);
        assertEquals("ORDER_REFUNDED", refundMail.get("kind"));
        assertEquals("re_1", refundMail.get("ref"), "a refund's mail names its refund");
        for (String plumbing : List.of("pk", "listedAt", "createdMonth", "emailHash")) {
            assertFalse(detail.containsKey(plumbing), plumbing);
        }
    }

    @Test
    void anOpenDisputesIndexKeysAreNotPartOfTheRecordButTheDisputeIs() {
        book.add(Fakes.disputed(Fakes.order("cs_test_disputed", OrderStatus.SHIPPED, NOW), NOW.plus(Duration.ofDays(7))));

        Map<String, Object> detail = service.detail("cs_test_disputed");

        assertFalse(detail.containsKey("disputeOpen"));
        assertFalse(detail.containsKey("disputeDueBy"));
        assertEquals(NOW.plus(Duration.ofDays(7)).toString(), ((Map<?, ?>) detail.get("dispute")).get("evidenceDueBy"));
    }

    /**
     * The open disputes, soonest deadline first through pages with their own opaque token; each line
     * the list's columns and its dispute. Orders without an open dispute, whatever their status, are not in it.
     */
    @Test
    void theOpenDisputesPageSoonestDeadlineFirstEachWithItsDispute() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            expected.add("cs_test_dispute" + i + "xyz");
        }
        // Written newest deadline first, orders placed in the other order: the list follows the deadline alone.
        for (int i = 4; i >= 0; i--) {
            book.add(Fakes.disputed(Fakes.order(expected.get(i), i % 2 == 0 ? OrderStatus.PAID : OrderStatus.SHIPPED,
                    NOW.minusSeconds(60L * (4 - i))), NOW.plus(Duration.ofDays(1 + i))));
        }
        book.add(Fakes.order("cs_test_undisputedxyz", OrderStatus.PAID, NOW));
        Map<String, Object> closed = Fakes.order("cs_test_closedxyz", OrderStatus.PAID, NOW);
        closed.put("dispute", Map.of("id", "du_closed", "status", "won", "outcome", "won", "amount", 18500L, "currency", "usd"));
        book.add(closed);

        List<OrderSummary> seen = new ArrayList<>();
        Optional<String> page = Optional.empty();
        int pages = 0;
        Optional<String> none = Optional.empty();
        do {
            Map<String, Object> body = service.openDisputes(Optional.of(" Open "), none, none, none, Optional.of("2"), page);
            assertEquals("open", body.get("dispute"));
            ((List<?>) body.get("orders")).forEach(o -> seen.add((OrderSummary) o));
            page = Optional.ofNullable((String) body.get("nextPage"));
            pages++;
        } while (page.isPresent());

        assertEquals(3, pages);
        assertEquals(expected, seen.stream().map(OrderSummary::id).toList());
        OrderSummary first = seen.get(0);
        assertEquals("PAID", first.status(), "a disputed order keeps its status");
        assertEquals(new OrderSummary.Dispute("needs_response", "fraudulent", 18500, "usd",
                NOW.plus(Duration.ofDays(1)).toString()), first.dispute());
        String json = Json.write(seen);
        assertFalse(json.contains("ada@example.com"), "no email in a list");
        assertTrue(json.contains("\"dispute\":{\"status\":\"needs_response\""), json);
        // The other lists' lines keep their shape: no "dispute" at all.
        assertFalse(Json.write(service.list(Optional.of("PAID"), none, none)).contains("\"dispute\""));
    }

    @Test
    void theOpenDisputesStandApartFromStatusAndSearchesAndTakeOnlyTheirOwnTokens() {
        Optional<String> none = Optional.empty();
        Optional<String> open = Optional.of("open");
        for (Optional<String> value : List.of(Optional.of("closed"), Optional.of(""), Optional.of("OPEN;"))) {
            assertThrows(InvalidInputException.class, () -> service.openDisputes(value, none, none, none, none, none),
                    value.toString());
        }
        assertThrows(InvalidInputException.class, () -> service.openDisputes(open, Optional.of("PAID"), none, none, none, none));
        assertThrows(InvalidInputException.class, () -> service.openDisputes(open, none, Optional.of("7KQ4-M2XD"), none, none, none));
        assertThrows(InvalidInputException.class, () -> service.openDisputes(open, none, none, Optional.of("a@b.example"), none, none));
        assertThrows(InvalidInputException.class, () -> service.openDisputes(open, none, none, none, Optional.of("101"), none));
        String aList = PageToken.encode("PAID", Map.of("listedAt", "x"));
        assertThrows(InvalidInputException.class, () -> service.openDisputes(open, none, none, none, none, Optional.of(aList)));
        String disputes = PageToken.encode("DISPUTE#open", Map.of("disputeDueBy", "x"));
        assertThrows(InvalidInputException.class, () -> service.list(Optional.of("PAID"), none, Optional.of(disputes)));
    }

    @Test
    void thePackingSlipHoldsWhatThePackerNeedsAndNoEmailBillingOrAmounts() {
        book.add(Fakes.order("cs_test_slip", OrderStatus.PAID, NOW));

        Map<String, Object> slip = service.packingSlip("cs_test_slip");

        assertEquals(Set.of("orderNumber", "name", "shippingAddress", "items"), slip.keySet());
        assertEquals("Ada Lovelace", slip.get("name"));
        assertEquals("12 Harbor Road", ((Map<?, ?>) slip.get("shippingAddress")).get("line1"));
        assertEquals(List.of(Map.of("sku", "RING-ARIA", "name", "Aria ring", "quantity", 2L)), slip.get("items"));
        String json = Json.write(slip);
        for (String absent : List.of("ada@example.com", "1 Bank Street", "18500", "9250", "usd")) {
            assertFalse(json.contains(absent), absent + " in " + json);
        }
    }

    @Test
    void aListPagesWithAnOpaqueTokenUntilTheEnd() {
        for (int i = 0; i < 7; i++) {
            book.add(Fakes.order("cs_test_page" + i + "xyz", OrderStatus.PAID, NOW.minusSeconds(60L * i)));
        }
        book.add(Fakes.order("cs_test_otherxyz", OrderStatus.SHIPPED, NOW));

        List<String> seen = new ArrayList<>();
        Optional<String> page = Optional.empty();
        int pages = 0;
        do {
            Map<String, Object> body = service.list(Optional.of("paid"), Optional.of("3"), page);
            ((List<?>) body.get("orders")).forEach(o -> seen.add(((OrderSummary) o).id()));
            page = Optional.ofNullable((String) body.get("nextPage"));
            pages++;
        } while (page.isPresent());

        assertEquals(3, pages);
        assertEquals(List.of("cs_test_page0xyz", "cs_test_page1xyz", "cs_test_page2xyz", "cs_test_page3xyz",
                "cs_test_page4xyz", "cs_test_page5xyz", "cs_test_page6xyz"), seen);
    }

    @Test
    void aTokenFromAnotherListOrForgedIsABadRequest() {
        String shippedToken = PageToken.encode("SHIPPED", Map.of("listedAt", "x"));
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"list\":\"PAID\",\"key\":{\"listedAt\":{\"$ne\":1}}}".getBytes(StandardCharsets.UTF_8));

        for (String token : List.of(shippedToken, forged, "not base64!", "e30", "AAAA", "x".repeat(2000))) {
            assertThrows(InvalidInputException.class,
                    () -> service.list(Optional.of("PAID"), Optional.empty(), Optional.of(token)), token);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "-1", "1e2", "abc", "9999999999"})
    void aLimitOutsideOneToAHundredIsABadRequest(String limit) {
        assertThrows(InvalidInputException.class, () -> service.list(Optional.of("PAID"), Optional.of(limit), Optional.empty()));
    }

    @Test
    void anUnknownStatusIsABadRequestThatNamesEveryList() {
        InvalidInputException refused = assertThrows(InvalidInputException.class,
                () -> service.list(Optional.of("LOST"), Optional.empty(), Optional.empty()));
        for (OrderStatus status : OrderStatus.values()) {
            assertTrue(refused.getMessage().contains(status.name()), refused.getMessage());
        }
        assertTrue(refused.getMessage().contains("ALL"), refused.getMessage());
        // Each list it names is one the service answers.
        for (OrderStatus status : OrderStatus.values()) {
            assertEquals(status.name(), service.list(Optional.of(status.name()), Optional.empty(), Optional.empty()).get("status"));
        }
    }

    @Test
    void theExportIsACsvOfTheRangeWithoutPersonalDataBehindAFiveMinuteLink() {
        Map<String, Object> inRange = Fakes.order("cs_test_exp1", OrderStatus.PAID, Instant.parse("2026-03-31T23:59:59Z"));
        inRange.put("items", List.of(Map.of("sku", "RING-ARIA", "name", "=HYPERLINK(\"http://evil\")", "quantity", 1L)));
        inRange.put("refunds", List.of(Map.of("stripeRefundId", "re_1", "amount", 500L, "at", "2026-04-02T00:00:00Z")));
        inRange.put("amountRefunded", 500L);
        book.add(inRange);
        book.add(Fakes.order("cs_test_exp2", OrderStatus.PAID, Instant.parse("2026-04-01T00:00:00Z")));
        book.add(Fakes.order("cs_test_exp3", OrderStatus.PAID, Instant.parse("2026-02-28T23:59:59Z")));

        Map<String, Object> answer = service.export(new AdminCaller("o", "owner", Set.of("owners")), "2026-03-01", "2026-03-31");

        assertEquals(1, answer.get("orders"));
        assertEquals(List.of(Duration.ofMinutes(5)), exports.links);
        String csv = new String(exports.files.values().iterator().next(), StandardCharsets.UTF_8);
        String[] lines = csv.split("\r\n");
        assertEquals(2, lines.length, csv);
        assertTrue(lines[0].startsWith("\"order_number\",\"created_at\""), lines[0]);
        assertTrue(lines[1].contains(",\"1 x =HYPERLINK(\"\"http://evil\"\") (RING-ARIA)\","), lines[1]);
        assertTrue(lines[1].contains("\"185.00\""), lines[1]);
        assertTrue(lines[1].contains("\"5.00\""), lines[1]);
        assertTrue(lines[1].contains("re_1"), lines[1]);
        for (String absent : List.of("ada@example.com", "Harbor", "Bank Street", "Lovelace")) {
            assertFalse(csv.contains(absent), absent);
        }
        assertEquals("orders.exported", trail.actions.get(0).action());
    }

    @ParameterizedTest
    @ValueSource(strings = {"=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"})
    void aCellASpreadsheetWouldRunIsDefused(String value) {
        assertEquals("\"'" + value + "\"", AccountingCsv.cell(value));
    }

    @Test
    void anExportRangeIsTwoCalendarDatesAtMostAYearApart() {
        AdminCaller owner = new AdminCaller("o", "owner", Set.of("owners"));
        for (String[] range : new String[][] {{"2026-02-30", "2026-03-01"}, {"2026-03-02", "2026-03-01"},
                {"2025-01-01", "2026-01-02"}, {"26-01-01", "2026-01-02"}, {"2026-01-01T00:00", "2026-01-02"}}) {
            assertThrows(InvalidInputException.class, () -> service.export(owner, range[0], range[1]), range[0]);
        }
        assertTrue(exports.files.isEmpty());
        assertNull(service.export(owner, "2024-01-01", "2024-12-31").get("missing"), "a leap year fits");
    }

    @Test
    void aSearchByNumberFindsTheOrderHoweverTheNumberIsTyped() {
        Map<String, Object> order = Fakes.order("cs_test_num1", OrderStatus.SHIPPED, NOW);
        order.put("orderNumber", "7KQ4-M2XD");
        book.add(order);
        book.add(Fakes.order("cs_test_num2", OrderStatus.PAID, NOW));

        for (String typed : List.of("7KQ4-M2XD", " #7kq4 m2xd ", "7KQ4M2XD")) {
            Map<String, Object> body = service.search(Optional.empty(), Optional.of(typed), Optional.empty(),
                    Optional.empty(), Optional.empty());
            assertEquals("number", body.get("search"));
            assertEquals("7KQ4-M2XD", body.get("number"));
            assertEquals(List.of("cs_test_num1"), ids(body), typed);
            assertNull(body.get("nextPage"));
        }
        Map<String, Object> unknown = service.search(Optional.empty(), Optional.of("ZZZZ-ZZZZ"), Optional.empty(),
                Optional.empty(), Optional.empty());
        assertEquals(List.of(), unknown.get("orders"), "a number never handed out finds nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "7KQ4", "7KQ4-M2XU", "cs_test_num1", "7KQ4-M2XD OR 1=1", "ada@example.com"})
    void aMalformedNumberIsABadRequestThatSaysWhatANumberLooksLike(String typed) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> service.search(Optional.empty(),
                Optional.of(typed), Optional.empty(), Optional.empty(), Optional.empty()));
        assertEquals("number", e.field());
        assertTrue(e.getMessage().contains("7KQ4-M2XD"), e.getMessage());
    }

    @Test
    void aSearchByEmailPagesThroughTheCustomersOrdersNewestFirstAndNeverLogsOrAnswersTheAddress() {
        for (int i = 0; i < 5; i++) {
            Map<String, Object> order = Fakes.order("cs_test_mail" + i, OrderStatus.PAID, NOW.minusSeconds(60L * i));
            order.put("customerEmail", "Grace.Hopper@Example.com");
            book.add(order);
        }
        book.add(Fakes.order("cs_test_someone_else", OrderStatus.PAID, NOW));

        List<String> seen = new ArrayList<>();
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(logged, true, StandardCharsets.UTF_8));
        try {
            Optional<String> page = Optional.empty();
            do {
                Map<String, Object> body = service.search(Optional.empty(), Optional.empty(),
                        Optional.of("  grace.hopper@example.COM "), Optional.of("2"), page);
                assertEquals("email", body.get("search"));
                assertFalse(Json.write(body).toLowerCase(java.util.Locale.ROOT).contains("grace.hopper"), Json.write(body));
                seen.addAll(ids(body));
                page = Optional.ofNullable((String) body.get("nextPage"));
                page.ifPresent(token -> assertFalse(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8)
                        .contains("@"), "no address in a page token"));
            } while (page.isPresent());
        } finally {
            System.setOut(stdout);
        }

        assertEquals(List.of("cs_test_mail0", "cs_test_mail1", "cs_test_mail2", "cs_test_mail3", "cs_test_mail4"), seen);
        String log = logged.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("\"event\":\"orders_searched\"") && log.contains("\"by\":\"email\""), log);
        assertFalse(log.toLowerCase(java.util.Locale.ROOT).contains("grace") || log.contains("example.com"), log);
        assertTrue(trail.actions.isEmpty(), "a read, like the lists: nothing in the trail");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "grace", "grace@", "@shop.test", "grace@example", "grace hopper@example.com",
            "grace@example.com\r\nBcc: x@example.com", "a@b@example.com"})
    void aMalformedEmailIsABadRequestThatDoesNotRepeatIt(String typed) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> service.search(Optional.empty(),
                Optional.empty(), Optional.of(typed), Optional.empty(), Optional.empty()));
        assertEquals("email", e.field());
        assertTrue(typed.isEmpty() || !e.getMessage().contains(typed), e.getMessage());
    }

    @Test
    void oneSearchAtATimeWithoutAStatusAndOnlyWithItsOwnPageTokens() {
        Optional<String> none = Optional.empty();
        assertThrows(InvalidInputException.class, () -> service.search(none, Optional.of("7KQ4-M2XD"),
                Optional.of("ada@example.com"), none, none));
        assertThrows(InvalidInputException.class, () -> service.search(Optional.of("PAID"), Optional.of("7KQ4-M2XD"),
                none, none, none));
        String otherNumber = PageToken.encode("NUMBER#AAAA-AAAA", Map.of("listedAt", "x"));
        String aList = PageToken.encode("PAID", Map.of("listedAt", "x"));
        for (String token : List.of(otherNumber, aList, "not base64!")) {
            assertThrows(InvalidInputException.class, () -> service.search(none, Optional.of("7KQ4-M2XD"), none, none,
                    Optional.of(token)), token);
            assertThrows(InvalidInputException.class, () -> service.search(none, none, Optional.of("ada@example.com"),
                    none, Optional.of(token)), token);
        }
        assertThrows(InvalidInputException.class, () -> service.search(none, Optional.of("7KQ4-M2XD"), none,
                Optional.of("0"), none));
    }

    private static List<String> ids(Map<String, Object> body) {
        return ((List<?>) body.get("orders")).stream().map(o -> ((OrderSummary) o).id()).toList();
    }
}
