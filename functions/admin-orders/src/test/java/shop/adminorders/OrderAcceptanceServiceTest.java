package shop.adminorders;

import static shop.adminorders.Fakes.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
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

class OrderAcceptanceServiceTest extends OrderServicesFixture {
    private final OrderAcceptanceService service = new OrderAcceptanceService(book, events, records, clock);

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
                map(line.after()));
        assertEquals(2_000_000_000L, line.expiresAt(), "kept as long as the order");
    }

    /** A refused acceptance: the order still waits for the owner, RING-ARIA's stock as it was, nothing counted, audited or queued. */
    private void assertNothingWritten(String id, int stock) {
        assertEquals("NEEDS_ATTENTION", book.orders.get(id).get("status"));
        assertEquals(stock, book.stock.get("RING-ARIA"));
        assertTrue(book.counted.isEmpty(), "counted: " + book.counted);
        assertTrue(trail.actions.isEmpty(), "audited: " + trail.actions);
        assertTrue(events.published.isEmpty(), "queued: " + events.published);
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
        assertNothingWritten("cs_test_accept_gone", 1);
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
        assertNothingWritten("cs_test_accept_archived", 5); // an archived piece is not taken without the owner's word
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
                "note", "on the shelf"), map(trail.actions.get(0).after()));
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
        assertNothingWritten("cs_test_accept_archived_gone", 1);
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

        assertNothingWritten("cs_test_accept_staff", 5);
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

    /** An unpaired surrogate in the note: DynamoDB refused the acceptance's whole transaction, a 503 however often tried. */
    @Test
    void aNoteWithALoneSurrogateIsABadRequestWithNothingWritten() {
        unbound("cs_test_accept_surrogate");

        assertThrows(InvalidInputException.class,
                () -> service.accept(OWNER, "cs_test_accept_surrogate", "Checked \ud800 by phone", false));

        assertEquals("NEEDS_ATTENTION", book.orders.get("cs_test_accept_surrogate").get("status"));
        assertTrue(trail.actions.isEmpty() && events.published.isEmpty());
    }

    /** From the order itself: no owner's mail recorded yet (its queue slow or failing), and still once accepted. */
    @Test
    void theRecordSaysWhyAnOrderNeedsTheOwnerBeforeAnyMailAndAfterItIsAccepted() {
        unbound("cs_test_accept_why");
        book.stock.put("RING-ARIA", 5);

        Map<String, Object> before = records.detail("cs_test_accept_why");
        service.accept(OWNER, "cs_test_accept_why", null, false);

        assertEquals("no_reservation", before.get("attentionReason"), before.toString());
        assertEquals(List.of(), before.get("mails"));
        Map<String, Object> after = records.detail("cs_test_accept_why");
        assertEquals("PAID", after.get("status"));
        assertEquals("no_reservation", after.get("attentionReason"), "why it needed the owner: " + after);
    }
}
