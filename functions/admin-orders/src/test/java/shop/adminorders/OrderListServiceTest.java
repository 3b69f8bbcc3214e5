package shop.adminorders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import shop.commerce.orders.OrderStatus;
import shop.core.errors.InvalidInputException;
import shop.core.json.Json;

class OrderListServiceTest extends OrderServicesFixture {
    private final OrderListService service = new OrderListService(book, clock);

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
        assertFalse(Json.write(service.list(Optional.of("PAID"), none, none, none)).contains("\"dispute\""));
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
        assertThrows(InvalidInputException.class, () -> service.list(Optional.of("PAID"), none, none, Optional.of(disputes)));
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
            Map<String, Object> body = service.list(Optional.of("paid"), Optional.empty(), Optional.of("3"), page);
            ((List<?>) body.get("orders")).forEach(o -> seen.add(((OrderSummary) o).id()));
            page = Optional.ofNullable((String) body.get("nextPage"));
            pages++;
        } while (page.isPresent());

        assertEquals(3, pages);
        assertEquals(List.of("cs_test_page0xyz", "cs_test_page1xyz", "cs_test_page2xyz", "cs_test_page3xyz",
                "cs_test_page4xyz", "cs_test_page5xyz", "cs_test_page6xyz"), seen);
    }

    /**
     * "To ship" in the order a packer works it: the order waiting longest first, through pages whose tokens belong to that
     * order (a newest-first token is refused, not read from the other end). Only lists by status sort both ways.
     */
    @Test
    void toShipOldestFirstPagesWithItsOwnTokensAndOnlyListsByStatusSortSo() {
        for (int i = 0; i < 5; i++) {
            book.add(Fakes.order("cs_test_wait" + i + "xyz", OrderStatus.PAID, NOW.minusSeconds(3600L * i)));
        }
        book.add(Fakes.order("cs_test_oldshippedxyz", OrderStatus.SHIPPED, NOW.minusSeconds(86_400)));

        List<String> seen = new ArrayList<>();
        Optional<String> page = Optional.empty();
        do {
            Map<String, Object> body = service.list(Optional.of("PAID"), Optional.of(" Oldest "), Optional.of("2"), page);
            assertEquals("oldest", body.get("sort"));
            ((List<?>) body.get("orders")).forEach(o -> seen.add(((OrderSummary) o).id()));
            page = Optional.ofNullable((String) body.get("nextPage"));
        } while (page.isPresent());

        assertEquals(List.of("cs_test_wait4xyz", "cs_test_wait3xyz", "cs_test_wait2xyz", "cs_test_wait1xyz",
                "cs_test_wait0xyz"), seen);
        Map<String, Object> newest = service.list(Optional.of("PAID"), Optional.empty(), Optional.of("2"), Optional.empty());
        assertEquals("newest", newest.get("sort"));
        assertEquals("cs_test_wait0xyz", ((OrderSummary) ((List<?>) newest.get("orders")).get(0)).id());
        assertEquals("cs_test_wait0xyz", ((OrderSummary) ((List<?>) service.list(Optional.of("PAID"), Optional.of("newest"),
                Optional.of("2"), Optional.empty()).get("orders")).get(0)).id());
        String newestToken = (String) newest.get("nextPage");
        assertThrows(InvalidInputException.class, () -> service.list(Optional.of("PAID"), Optional.of("oldest"),
                Optional.of("2"), Optional.of(newestToken)));
        String oldestToken = (String) service.list(Optional.of("PAID"), Optional.of("oldest"), Optional.of("2"),
                Optional.empty()).get("nextPage");
        assertThrows(InvalidInputException.class, () -> service.list(Optional.of("PAID"), Optional.empty(),
                Optional.of("2"), Optional.of(oldestToken)));
        for (String sort : List.of("oldest-first", "asc", "1", "OLDEST OR 1=1")) {
            InvalidInputException refused = assertThrows(InvalidInputException.class,
                    () -> service.list(Optional.of("PAID"), Optional.of(sort), Optional.empty(), Optional.empty()), sort);
            assertTrue(refused.getMessage().contains("oldest"), refused.getMessage());
        }
        assertThrows(InvalidInputException.class,
                () -> service.list(Optional.empty(), Optional.of("oldest"), Optional.empty(), Optional.empty()));
        // GET /admin/orders's one entry point: a list by status sorts; a search or the open disputes refuse a sort.
        assertEquals("oldest", service.orders(query(Map.of("status", "PAID", "sort", "oldest"))).get("sort"));
        for (Map<String, String> sorted : List.of(Map.of("number", "7KQ4-M2XD", "sort", "oldest"),
                Map.of("email", "ada@example.com", "sort", "newest"), Map.of("dispute", "open", "sort", "oldest"))) {
            InvalidInputException refused = assertThrows(InvalidInputException.class, () -> service.orders(query(sorted)),
                    sorted.toString());
            assertEquals("sort", refused.field(), sorted.toString());
        }
    }

    private static java.util.function.Function<String, Optional<String>> query(Map<String, String> parameters) {
        return name -> Optional.ofNullable(parameters.get(name));
    }

    @Test
    void aTokenFromAnotherListOrForgedIsABadRequest() {
        String shippedToken = PageToken.encode("SHIPPED", Map.of("listedAt", "x"));
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"list\":\"PAID\",\"key\":{\"listedAt\":{\"$ne\":1}}}".getBytes(StandardCharsets.UTF_8));

        for (String token : List.of(shippedToken, forged, "not base64!", "e30", "AAAA", "x".repeat(2000))) {
            assertThrows(InvalidInputException.class,
                    () -> service.list(Optional.of("PAID"), Optional.empty(), Optional.empty(), Optional.of(token)), token);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "-1", "1e2", "abc", "9999999999"})
    void aLimitOutsideOneToAHundredIsABadRequest(String limit) {
        assertThrows(InvalidInputException.class, () -> service.list(Optional.of("PAID"), Optional.empty(), Optional.of(limit), Optional.empty()));
    }

    @Test
    void anUnknownStatusIsABadRequestThatNamesEveryList() {
        InvalidInputException refused = assertThrows(InvalidInputException.class,
                () -> service.list(Optional.of("LOST"), Optional.empty(), Optional.empty(), Optional.empty()));
        for (OrderStatus status : OrderStatus.values()) {
            assertTrue(refused.getMessage().contains(status.name()), refused.getMessage());
        }
        assertTrue(refused.getMessage().contains("ALL"), refused.getMessage());
        // Each list it names is one the service answers.
        for (OrderStatus status : OrderStatus.values()) {
            assertEquals(status.name(), service.list(Optional.of(status.name()), Optional.empty(), Optional.empty(), Optional.empty()).get("status"));
        }
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
