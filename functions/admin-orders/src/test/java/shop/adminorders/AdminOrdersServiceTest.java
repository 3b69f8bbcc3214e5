package shop.adminorders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import shop.core.errors.InvalidInputException;
import shop.core.errors.NotFoundException;
import shop.core.json.Json;

class AdminOrdersServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final AdminCaller STAFF = new AdminCaller("sub-staff", "sam", Set.of("staff"));
    private static final String URL = "https://track.example.com/RM123456789GB";

    private final Fakes.Book book = new Fakes.Book();
    private final Fakes.Events events = new Fakes.Events();
    private final Fakes.Trail trail = new Fakes.Trail();
    private final Fakes.Exports exports = new Fakes.Exports();
    private final AdminOrdersService service = new AdminOrdersService(book, events, trail, exports,
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
    void anUnknownStatusIsABadRequest() {
        assertThrows(InvalidInputException.class, () -> service.list(Optional.of("LOST"), Optional.empty(), Optional.empty()));
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
}
