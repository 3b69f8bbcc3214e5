package shop.adminorders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import shop.commerce.orders.OrderStatus;
import shop.core.errors.InvalidInputException;
import shop.core.json.Json;

@SuppressWarnings("unchecked")
class PackingSlipServiceTest extends OrderServicesFixture {
    private final PackingSlipService service = new PackingSlipService(records, book);

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

    /**
     * The day's slips at once: every order to ship, oldest first (the order waiting longest on top of the pile), a page
     * at a time with its own token, each page's orders read in one batch; no order of another status, and no email,
     * billing address or amount on any slip.
     */
    @Test
    void theSlipsOfEveryOrderToShipComeOldestFirstAPageAtATimeEachPageReadAtOnce() {
        List<String> toShip = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            toShip.add("cs_test_toship" + i + "abc");
        }
        // Written newest first, so the list's order is the listing's, not the writing's.
        for (int i = 4; i >= 0; i--) {
            Map<String, Object> order = Fakes.order(toShip.get(i), OrderStatus.PAID, NOW.minus(Duration.ofHours(10 - i)));
            ((Map<String, Object>) order.get("shipping")).put("name", "Customer " + i);
            book.add(order);
        }
        book.add(Fakes.order("cs_test_shippedabcd", OrderStatus.SHIPPED, NOW.minus(Duration.ofDays(2))));
        book.add(Fakes.order("cs_test_attentionabcd", OrderStatus.NEEDS_ATTENTION, NOW.minus(Duration.ofDays(3))));
        book.add(Fakes.order("cs_test_refundedabcd", OrderStatus.REFUNDED, NOW.minus(Duration.ofDays(4))));

        List<Map<String, Object>> slips = new ArrayList<>();
        Optional<String> page = Optional.empty();
        int pages = 0;
        do {
            Map<String, Object> body = service.toShip(Optional.of("2"), page);
            assertEquals(Set.of("slips", "nextPage"), body.keySet());
            ((List<Map<String, Object>>) body.get("slips")).forEach(slips::add);
            page = Optional.ofNullable((String) body.get("nextPage"));
            pages++;
        } while (page.isPresent());

        assertEquals(3, pages);
        assertEquals(List.of("Customer 0", "Customer 1", "Customer 2", "Customer 3", "Customer 4"),
                slips.stream().map(slip -> slip.get("name")).toList(), "oldest first");
        assertEquals(toShip.stream().map(id -> "N-" + id.substring(id.length() - 4)).toList(),
                slips.stream().map(slip -> slip.get("orderNumber")).toList());
        assertEquals(List.of(toShip.subList(0, 2), toShip.subList(2, 4), toShip.subList(4, 5)), book.packReads,
                "one read of each page's orders, never one per order");
        for (Map<String, Object> slip : slips) {
            assertEquals(Set.of("orderNumber", "name", "shippingAddress", "items"), slip.keySet());
            assertEquals(List.of(Map.of("sku", "RING-ARIA", "name", "Aria ring", "quantity", 2L)), slip.get("items"));
        }
        String json = Json.write(slips);
        for (String absent : List.of("ada@example.com", "1 Bank Street", "18500", "9250", "usd", "A. Lovelace")) {
            assertFalse(json.contains(absent), absent + " in " + json);
        }
    }

    /**
     * The index lags its orders by a moment: an order shipped (or refunded in full) since is still listed under "to
     * ship", but its read says otherwise and it gets no slip, so no second parcel is packed for it.
     */
    @Test
    void anOrderShippedSinceTheListWasIndexedGetsNoSlip() {
        book.add(Fakes.order("cs_test_stillpaidabcd", OrderStatus.PAID, NOW.minus(Duration.ofHours(2))));
        Map<String, Object> shipped = Fakes.order("cs_test_justshippedwxyz", OrderStatus.SHIPPED, NOW.minus(Duration.ofHours(3)));
        shipped.put("fulfilledAt", NOW.toString());
        book.add(shipped);
        book.staleIndex.put("cs_test_justshippedwxyz", "PAID");

        Map<String, Object> body = service.toShip(Optional.empty(), Optional.empty());

        assertEquals(List.of("N-abcd"), ((List<Map<String, Object>>) body.get("slips")).stream()
                .map(slip -> slip.get("orderNumber")).toList());
        assertEquals(List.of(List.of("cs_test_justshippedwxyz", "cs_test_stillpaidabcd")), book.packReads);
        assertNull(body.get("nextPage"));
    }

    /** Nothing to ship: no slips and no batch read at all. A bad limit or a token of another list is a 400. */
    @Test
    void nothingToShipIsNoSlipsAndBadInputIsRefused() {
        book.add(Fakes.order("cs_test_shippedabcd", OrderStatus.SHIPPED, NOW));

        assertEquals(List.of(), service.toShip(Optional.empty(), Optional.empty()).get("slips"));
        assertTrue(book.packReads.isEmpty(), "nothing to read");
        for (String limit : List.of("0", "101", "-1", "ten")) {
            assertThrows(InvalidInputException.class, () -> service.toShip(Optional.of(limit), Optional.empty()), limit);
        }
        // The "to ship" list's own token (newest first) is not a position in the slips' order.
        String listToken = PageToken.encode("PAID", Map.of("listedAt", NOW + "#cs_test_shippedabcd"));
        assertThrows(InvalidInputException.class, () -> service.toShip(Optional.empty(), Optional.of(listToken)));
        assertThrows(InvalidInputException.class, () -> service.toShip(Optional.empty(), Optional.of("%3Cscript%3E")));
    }
}
