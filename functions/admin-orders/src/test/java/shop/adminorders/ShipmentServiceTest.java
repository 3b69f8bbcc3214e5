package shop.adminorders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
import shop.core.errors.InvalidInputException;

class ShipmentServiceTest extends OrderServicesFixture {
    private final ShipmentService service = new ShipmentService(book, events, records, clock);

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

    /**
     * An unpaired surrogate (U+D800 with no low surrogate after it) is no text: DynamoDB cannot store it and refused the whole
     * transaction, which the one mapper answered 503 "try again", forever. It is a 400 with nothing written or queued.
     */
    @Test
    void aLoneSurrogateInAnyParcelFieldIsABadRequestNotABusyShop() {
        book.add(Fakes.order("cs_test_ship8", OrderStatus.PAID, NOW));

        assertThrows(InvalidInputException.class, () -> service.ship(STAFF, "cs_test_ship8", "Royal\ud800Mail", "RM1", URL));
        assertThrows(InvalidInputException.class, () -> service.ship(STAFF, "cs_test_ship8", "Royal Mail", "RM1\udc00", URL));
        assertThrows(InvalidInputException.class,
                () -> service.ship(STAFF, "cs_test_ship8", "Royal Mail", "RM1", URL + "\ud800"));

        assertEquals("PAID", book.orders.get("cs_test_ship8").get("status"));
        assertTrue(events.published.isEmpty() && trail.actions.isEmpty());
    }
}
