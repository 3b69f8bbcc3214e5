package shop.adminorders;

import static shop.adminorders.Fakes.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import shop.commerce.orders.OrderMessage;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.ShippingAddress;
import shop.core.admin.AdminCaller;
import shop.core.errors.ConflictException;
import shop.core.errors.InvalidInputException;
import shop.core.errors.NotFoundException;
import shop.core.json.Json;

/** An order to ship sent elsewhere at the customer's request: {@code PUT /admin/orders/{id}/shipping-address}, on the service. */
class ShippingAddressChangeServiceTest {
    private static final Instant CHANGED_AT = Instant.parse("2026-11-26T08:30:00Z");
    private static final AdminCaller STAFF = new AdminCaller("sub-staff", "sam", Set.of("staff"));
    private static final String ORDER = "cs_test_address1";
    private static final ShippingAddress PARIS = new ShippingAddress("8 Rue de Rivoli", "Apt. 3", "75004", "Paris", null, "FR");

    private final Fakes.Book book = new Fakes.Book();
    private final Fakes.Events events = new Fakes.Events();
    private final AdminNames names = username -> Optional.of(username + "@shop.example");
    private final OrderRecordService records = new OrderRecordService(book, book.trail, names);
    private final ShippingAddressChangeService service = new ShippingAddressChangeService(book, events, records,
            Clock.fixed(CHANGED_AT, ZoneOffset.UTC));
    private final PackingSlipService slips = new PackingSlipService(records, book);

    private String paid() {
        book.add(Fakes.order(ORDER, OrderStatus.PAID, CHANGED_AT.minusSeconds(3600)));
        return version();
    }

    private String version() {
        return (String) records.detail(ORDER).get("shippingVersion");
    }

    @Test
    void aChangeReplacesTheAddressAuditsWhichPartsChangedButNoStreetAndQueuesTheCustomersMail() {
        String read = paid();

        Map<String, Object> detail = service.changeShippingAddress(STAFF, ORDER, " Ada King ", PARIS, read);

        assertEquals(Map.of("name", "Ada King", "line1", "8 Rue de Rivoli", "line2", "Apt. 3", "postalCode", "75004",
                "city", "Paris", "country", "FR"), detail.get("shipping"));
        assertEquals("FR", detail.get("country"));
        assertEquals("Ada Lovelace", detail.get("customerName"), "the payer's name, which the mails greet, stays");
        assertEquals("PAID", detail.get("status"));
        assertEquals(1L, detail.get("shippingChanges"));
        assertEquals(CHANGED_AT.toString(), detail.get("shippingChangedAt"));
        assertEquals("sam@shop.example", detail.get("shippingChangedBy"), "named by sign-in address, as the trail is");
        assertFalse(read.equals(detail.get("shippingVersion")), "the page that read the old address reads a new version");
        assertEquals(List.of(new OrderMessage(OrderMessage.Type.SHIPPING_ADDRESS_CHANGED, ORDER, "1")), events.published);
        var line = book.trail.actions.get(book.trail.actions.size() - 1);
        assertEquals("order.shipping_address_changed", line.action());
        assertEquals("sam", line.actorName());
        assertEquals(CHANGED_AT, line.at());
        assertEquals(Map.of("country", "US"), map(line.before()));
        assertEquals(Map.of("country", "FR", "changed", List.of("name", "line1", "line2", "postalCode", "city", "country"),
                "change", 1), map(line.after()));
        for (String personal : List.of("Ada", "Harbor", "Rivoli", "Portland", "Paris", "04101", "75004", "Apt")) {
            assertFalse(line.before().contains(personal) || line.after().contains(personal), personal);
        }
        Map<String, Object> slip = slips.packingSlip(ORDER);
        assertEquals("Ada King", slip.get("name"));
        assertEquals(detail.get("shipping"), slip.get("shippingAddress"));
    }

    @Test
    void theSameValuesAgainWriteNothingAndQueueTheSameChangesMessageAgain() {
        String read = paid();
        service.changeShippingAddress(STAFF, ORDER, "Ada King", PARIS, read);

        // A double press, or a retry of a lost answer: the form as the first press sent it, with the version it read.
        Map<String, Object> again = service.changeShippingAddress(STAFF, ORDER, "Ada King", PARIS, read);

        assertEquals("Paris", ((Map<?, ?>) again.get("shipping")).get("city"));
        assertEquals(1, book.addressChangesWritten);
        assertEquals(1, book.trail.actions.size());
        OrderMessage first = new OrderMessage(OrderMessage.Type.SHIPPING_ADDRESS_CHANGED, ORDER, "1");
        assertEquals(List.of(first, first), events.published, "its mail claim keeps it to one mail");
    }

    @Test
    void theAddressAsOrderedSentBackChangesNothingAndMailsNobody() {
        String read = paid();

        service.changeShippingAddress(STAFF, ORDER, "Ada Lovelace",
                new ShippingAddress("12 Harbor Road", null, "04101", "Portland", null, "US"), read);

        assertEquals(0, book.addressChangesWritten);
        assertTrue(book.trail.actions.isEmpty());
        assertTrue(events.published.isEmpty());
    }

    @Test
    void aPageThatReadAnotherAddressIsAConflictAndWritesNothing() {
        String read = paid();
        service.changeShippingAddress(STAFF, ORDER, "Ada King", PARIS, read);
        events.published.clear();

        var stale = assertThrows(ConflictException.class, () -> service.changeShippingAddress(STAFF, ORDER, "Ada King",
                new ShippingAddress("1 Quai Voltaire", null, "75007", "Paris", null, "FR"), read));

        assertTrue(stale.getMessage().contains("since the page read it"), stale.getMessage());
        assertEquals(1, book.addressChangesWritten);
        assertTrue(events.published.isEmpty());
    }

    @Test
    void theCustomersOwnCorrectionBetweenTheReadAndTheWriteIsAConflict() {
        String read = paid();
        // The customer's privacy correction lands between the service's read and its conditional write.
        book.beforeAddressChange = () -> ((Map<String, Object>) book.orders.get(ORDER).get("shipping")).put("line1", "14 Harbor Road");

        assertThrows(ConflictException.class, () -> service.changeShippingAddress(STAFF, ORDER, "Ada King", PARIS, read));

        assertEquals("14 Harbor Road", ((Map<?, ?>) book.orders.get(ORDER).get("shipping")).get("line1"));
        assertEquals(0, book.addressChangesWritten);
        assertTrue(book.trail.actions.isEmpty());
        assertTrue(events.published.isEmpty());
    }

    @Test
    void aSecondChangeReadFromTheFirstIsCountedAndMailedOnItsOwn() {
        service.changeShippingAddress(STAFF, ORDER, "Ada King", PARIS, paid());

        service.changeShippingAddress(STAFF, ORDER, "Ada King",
                new ShippingAddress("1 Quai Voltaire", null, "75007", "Paris", null, "FR"), version());

        assertEquals(2, book.addressChangesWritten);
        assertEquals(List.of(new OrderMessage(OrderMessage.Type.SHIPPING_ADDRESS_CHANGED, ORDER, "1"),
                new OrderMessage(OrderMessage.Type.SHIPPING_ADDRESS_CHANGED, ORDER, "2")), events.published);
        assertEquals(Map.of("country", "FR", "changed", List.of("line1", "line2", "postalCode"), "change", 2),
                map(book.trail.actions.get(1).after()));
    }

    @ParameterizedTest
    @EnumSource(value = OrderStatus.class, names = {"SHIPPED", "REFUNDED", "FAILED", "PENDING_PAYMENT", "NEEDS_ATTENTION"})
    void anOrderThatIsNotToShipIsAConflictSayingWhy(OrderStatus status) {
        book.add(Fakes.order(ORDER, status, CHANGED_AT.minusSeconds(3600)));
        Map<String, Object> before = new LinkedHashMap<>(book.orders.get(ORDER));

        var refused = assertThrows(ConflictException.class,
                () -> service.changeShippingAddress(STAFF, ORDER, "Ada King", PARIS, version()));

        String why = switch (status) {
            case SHIPPED -> "has shipped";
            case REFUNDED -> "refunded";
            case FAILED -> "payment failed";
            case PENDING_PAYMENT -> "not paid yet";
            default -> "owner's attention";
        };
        assertTrue(refused.getMessage().contains(why), refused.getMessage());
        assertEquals(before, book.orders.get(ORDER));
        assertTrue(events.published.isEmpty());
        assertTrue(book.trail.actions.isEmpty());
    }

    @Test
    void anOrderErasedOnRequestIsAConflictEvenWhileItIsKeptToShip() {
        paid();
        book.orders.get(ORDER).put("erasedAt", CHANGED_AT.minusSeconds(60).toString());
        book.orders.get(ORDER).put("shippingKeptUntilDone", CHANGED_AT.minusSeconds(60).toString());
        book.orders.get(ORDER).remove("customerEmail");

        var refused = assertThrows(ConflictException.class,
                () -> service.changeShippingAddress(STAFF, ORDER, "Ada King", PARIS, version()));

        assertTrue(refused.getMessage().contains("erased at the customer's request"), refused.getMessage());
        assertEquals(0, book.addressChangesWritten);
        assertTrue(events.published.isEmpty());
    }

    @Test
    void badInputIsRefusedNamingTheFieldWithNothingWritten() {
        String read = paid();
        Map<String, Object> before = new LinkedHashMap<>(book.orders.get(ORDER));

        for (String name : new String[] {null, " ", "Ada <b>King</b>", "Ada\nBcc: eve@example.com", "Ada \u202eKing",
                "x".repeat(201)}) {
            assertEquals("name", assertThrows(InvalidInputException.class,
                    () -> service.changeShippingAddress(STAFF, ORDER, name, PARIS, read), String.valueOf(name)).field());
        }
        assertEquals("shippingAddress", assertThrows(InvalidInputException.class,
                () -> service.changeShippingAddress(STAFF, ORDER, "Ada", null, read)).field());
        assertEquals("shippingVersion", assertThrows(InvalidInputException.class,
                () -> service.changeShippingAddress(STAFF, ORDER, "Ada", PARIS, " ")).field());

        assertEquals(before, book.orders.get(ORDER));
        assertEquals(0, book.addressChangesWritten);
        assertTrue(events.published.isEmpty());
    }

    @Test
    void theBodysAddressIsCheckedAsThePrivacyCorrectionChecksItNamedAsTheBodyNamesIt() throws Exception {
        for (var refused : Map.of(
                "{\"line1\":\"1 A St\",\"city\":\"Paris\",\"country\":\"fr\"}", "shippingAddress.country",
                "{\"city\":\"Paris\",\"country\":\"FR\"}", "shippingAddress.line1",
                "{\"line1\":\"1 A St\",\"line2\":\"<img src=x>\",\"city\":\"Paris\",\"country\":\"FR\"}", "shippingAddress.line2",
                "{\"line1\":\"1 A St\",\"postalCode\":\"" + "1".repeat(21) + "\",\"city\":\"Paris\",\"country\":\"FR\"}",
                "shippingAddress.postalCode",
                "{\"line1\":1,\"city\":\"Paris\",\"country\":\"FR\"}", "shippingAddress.line1",
                "\"8 Rue de Rivoli, Paris\"", "shippingAddress").entrySet()) {
            JsonNode node = Json.mapper().readTree(refused.getKey());
            assertEquals(refused.getValue(), assertThrows(InvalidInputException.class,
                    () -> ShippingAddress.fromJson(ShippingAddress.FIELD, node), refused.getKey()).field());
        }
    }

    @Test
    void anUnknownOrderIsNotFound() {
        assertThrows(NotFoundException.class, () -> service.changeShippingAddress(STAFF, "cs_test_never", "Ada", PARIS, "v"));
        assertThrows(NotFoundException.class, () -> service.changeShippingAddress(STAFF, "../ORDER#x", "Ada", PARIS, "v"));
    }
}
