package shop.adminorders;

import static shop.adminorders.Fakes.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import shop.core.admin.AdminCaller;
import shop.core.errors.ConflictException;
import shop.core.errors.InvalidInputException;
import shop.core.errors.NotFoundException;

/** A shipped order's tracking corrected: {@code PUT /admin/orders/{id}/shipment}, on the service with in-memory ports. */
class ShipmentCorrectionServiceTest {
    private static final Instant SHIPPED_AT = Instant.parse("2026-11-25T10:00:00Z");
    private static final Instant CORRECTED_AT = Instant.parse("2026-11-26T08:30:00Z");
    private static final AdminCaller STAFF = new AdminCaller("sub-staff", "sam", Set.of("staff"));
    private static final AdminCaller OWNER = new AdminCaller("sub-owner", "olivia", Set.of("owners"));
    private static final String ORDER = "cs_test_correct1";
    private static final String TYPO_URL = "https://track.example.com/RM12345678GB";
    private static final String RIGHT_URL = "https://track.example.com/RM123456789GB";

    private final Fakes.Book book = new Fakes.Book();
    private final Fakes.Events events = new Fakes.Events();
    private final AdminNames names = username -> Optional.of(username + "@shop.example");
    private final ShipmentService shipping = service(SHIPPED_AT);
    private final ShipmentService service = service(CORRECTED_AT);

    private ShipmentService service(Instant now) {
        return new ShipmentService(book, events, new OrderRecordService(book, book.trail, names), Clock.fixed(now, ZoneOffset.UTC));
    }

    private void shippedWithATypo() {
        book.add(Fakes.order(ORDER, OrderStatus.PAID, SHIPPED_AT.minusSeconds(3600)));
        shipping.ship(STAFF, ORDER, "Royal Mail", "RM12345678GB", TYPO_URL);
        events.published.clear();
    }

    @Test
    void aCorrectionReplacesTheParcelKeepsWhenItLeftAuditsBeforeAndAfterAndQueuesItsMail() {
        shippedWithATypo();

        Map<String, Object> detail = service.correctShipment(STAFF, ORDER, "Royal Mail", "RM123456789GB", RIGHT_URL, 0);

        Map<?, ?> shipment = (Map<?, ?>) detail.get("shipment");
        assertEquals("RM123456789GB", shipment.get("trackingNumber"));
        assertEquals(RIGHT_URL, shipment.get("trackingUrl"));
        assertEquals(1L, shipment.get("corrections"));
        assertEquals(CORRECTED_AT.toString(), shipment.get("correctedAt"));
        assertEquals("sam@shop.example", shipment.get("correctedBy"), "named by sign-in address, as the trail is");
        assertEquals(SHIPPED_AT.toString(), shipment.get("shippedAt"), "the parcel left when it left");
        assertEquals(SHIPPED_AT.toString(), detail.get("fulfilledAt"));
        assertEquals("SHIPPED", detail.get("status"));
        assertEquals(List.of(new OrderMessage(OrderMessage.Type.SHIPMENT_CORRECTED, ORDER, "1")), events.published);
        var line = book.trail.actions.get(book.trail.actions.size() - 1);
        assertEquals("order.shipment_corrected", line.action());
        assertEquals("sam", line.actorName());
        assertEquals(CORRECTED_AT, line.at());
        assertEquals(Map.of("carrier", "Royal Mail", "trackingNumber", "RM12345678GB", "trackingUrl", TYPO_URL,
                "corrections", 0), map(line.before()));
        assertEquals(Map.of("carrier", "Royal Mail", "trackingNumber", "RM123456789GB", "trackingUrl", RIGHT_URL,
                "corrections", 1), map(line.after()));
        List<?> trail = (List<?>) detail.get("trail");
        assertEquals(List.of("order.shipped", "order.shipment_corrected"),
                trail.stream().map(l -> ((Map<?, ?>) l).get("action")).toList());
    }

    @Test
    void eachCorrectionHasItsOwnNumberAndMessage() {
        shippedWithATypo();
        service.correctShipment(STAFF, ORDER, "Royal Mail", "RM123456789GB", RIGHT_URL, 0);

        service.correctShipment(OWNER, ORDER, "DHL", "JD0000001", "https://dhl.example.com/JD0000001", 1);

        assertEquals(List.of(new OrderMessage(OrderMessage.Type.SHIPMENT_CORRECTED, ORDER, "1"),
                new OrderMessage(OrderMessage.Type.SHIPMENT_CORRECTED, ORDER, "2")), events.published);
        Map<?, ?> shipment = (Map<?, ?>) book.orders.get(ORDER).get("shipment");
        assertEquals(2L, shipment.get("corrections"));
        assertEquals("olivia", shipment.get("correctedBy"));
        assertEquals("sam", shipment.get("by"), "who first recorded it stays");
    }

    @Test
    void theParcelAsStoredWritesNothingAndQueuesNoMailOfItsOwn() {
        shippedWithATypo();
        int lines = book.trail.actions.size();

        Map<String, Object> detail = service.correctShipment(STAFF, ORDER, " Royal Mail ", "RM12345678GB", TYPO_URL, 0);

        assertEquals(TYPO_URL, ((Map<?, ?>) detail.get("shipment")).get("trackingUrl"));
        assertEquals(0, book.correctionsWritten);
        assertEquals(lines, book.trail.actions.size());
        assertTrue(events.published.isEmpty(), "never corrected: no correction to mail");
    }

    @Test
    void pressingAgainWritesNothingAndQueuesOnlyThatCorrectionAgainForItsClaimToKeepToOneMail() {
        shippedWithATypo();
        service.correctShipment(STAFF, ORDER, "Royal Mail", "RM123456789GB", RIGHT_URL, 0);
        int lines = book.trail.actions.size();

        // The double press: the same form, read before the first press was written.
        service.correctShipment(STAFF, ORDER, "Royal Mail", "RM123456789GB", RIGHT_URL, 0);

        assertEquals(1, book.correctionsWritten);
        assertEquals(lines, book.trail.actions.size());
        assertEquals(List.of(new OrderMessage(OrderMessage.Type.SHIPMENT_CORRECTED, ORDER, "1"),
                new OrderMessage(OrderMessage.Type.SHIPMENT_CORRECTED, ORDER, "1")), events.published);
    }

    @Test
    void aQueueFailureAfterTheWriteIsMadeGoodByPressingAgain() {
        shippedWithATypo();
        events.failures = 1;

        assertThrows(IllegalStateException.class,
                () -> service.correctShipment(STAFF, ORDER, "Royal Mail", "RM123456789GB", RIGHT_URL, 0));
        assertTrue(events.published.isEmpty());

        service.correctShipment(STAFF, ORDER, "Royal Mail", "RM123456789GB", RIGHT_URL, 0);

        assertEquals(List.of(new OrderMessage(OrderMessage.Type.SHIPMENT_CORRECTED, ORDER, "1")), events.published);
        assertEquals(1, book.correctionsWritten);
    }

    @Test
    void aPageThatReadAnOlderShipmentIsAConflictAndWritesNothing() {
        shippedWithATypo();
        service.correctShipment(OWNER, ORDER, "Royal Mail", "RM123456789GB", RIGHT_URL, 0);
        events.published.clear();

        ConflictException stale = assertThrows(ConflictException.class,
                () -> service.correctShipment(STAFF, ORDER, "DHL", "JD0000001", "https://dhl.example.com/JD0000001", 0));

        assertTrue(stale.getMessage().contains("reload"), stale.getMessage());
        assertEquals(1, book.correctionsWritten);
        assertEquals(RIGHT_URL, ((Map<?, ?>) book.orders.get(ORDER).get("shipment")).get("trackingUrl"));
        assertTrue(events.published.isEmpty());
    }

    @Test
    void aCorrectionWrittenBetweenTheReadAndTheWriteIsAConflictNotAnOverwrite() {
        shippedWithATypo();
        book.beforeCorrection = () -> service(CORRECTED_AT).correctShipment(OWNER, ORDER, "Royal Mail", "RM123456789GB",
                RIGHT_URL, 0);

        assertThrows(ConflictException.class,
                () -> service.correctShipment(STAFF, ORDER, "DHL", "JD0000001", "https://dhl.example.com/JD0000001", 0));

        Map<?, ?> shipment = (Map<?, ?>) book.orders.get(ORDER).get("shipment");
        assertEquals(RIGHT_URL, shipment.get("trackingUrl"), "the first correction stands");
        assertEquals(1, book.correctionsWritten);
        assertEquals(List.of(new OrderMessage(OrderMessage.Type.SHIPMENT_CORRECTED, ORDER, "1")), events.published);
    }

    @ParameterizedTest
    @EnumSource(value = OrderStatus.class, names = "SHIPPED", mode = EnumSource.Mode.EXCLUDE)
    void anOrderThatIsNotShippedIsAConflict(OrderStatus status) {
        book.add(Fakes.order(ORDER, status, SHIPPED_AT));

        assertThrows(ConflictException.class,
                () -> service.correctShipment(STAFF, ORDER, "Royal Mail", "RM123456789GB", RIGHT_URL, 0));

        assertEquals(0, book.correctionsWritten);
        assertTrue(book.trail.actions.isEmpty());
        assertTrue(events.published.isEmpty());
    }

    @Test
    void aRefundedOrderThatHadShippedIsAConflict() {
        shippedWithATypo();
        book.orders.get(ORDER).put("status", OrderStatus.REFUNDED.name());

        assertThrows(ConflictException.class,
                () -> service.correctShipment(STAFF, ORDER, "Royal Mail", "RM123456789GB", RIGHT_URL, 0));
        assertEquals(0, book.correctionsWritten);
    }

    @Test
    void anUnknownOrderIsNotFound() {
        assertThrows(NotFoundException.class,
                () -> service.correctShipment(STAFF, "cs_test_never", "Royal Mail", "RM123456789GB", RIGHT_URL, 0));
        assertThrows(NotFoundException.class,
                () -> service.correctShipment(STAFF, "../ORDER#x", "Royal Mail", "RM123456789GB", RIGHT_URL, 0));
    }

    /**
     * A shipment stopped after its write and before it finished the erasure that waited for it: the page then shows a
     * shipped order, with the correction form and no ship form, so nobody presses "ship" again. Correcting its tracking
     * records the shipment again and finishes the erasure, which kept the name and address on a shipped order before.
     */
    @Test
    void aCorrectionFinishesAnErasureThatAStoppedShipmentLeftWaiting() {
        Map<String, Object> order = Fakes.order(ORDER, OrderStatus.PAID, SHIPPED_AT.minusSeconds(3600));
        order.remove("customerEmail");
        order.put("shippingKeptUntilDone", SHIPPED_AT.minusSeconds(60).toString());
        book.add(order);
        book.finishFailures = 1;
        assertThrows(IllegalStateException.class, () -> shipping.ship(STAFF, ORDER, "Royal Mail", "RM12345678GB", TYPO_URL));
        assertTrue(book.orders.get(ORDER).containsKey("shippingKeptUntilDone"), "stopped in between");

        service.correctShipment(STAFF, ORDER, "Royal Mail", "RM123456789GB", RIGHT_URL, 0);

        Map<String, Object> finished = book.orders.get(ORDER);
        assertFalse(finished.containsKey("shippingKeptUntilDone"));
        assertFalse(finished.containsKey("customerName"));
        assertEquals(Map.of("country", "US"), finished.get("shipping"));
    }

    @Test
    void aBadParcelOrCountIsRefusedWithNothingWritten() {
        shippedWithATypo();
        Map<String, Object> before = new LinkedHashMap<>(book.orders.get(ORDER));

        assertThrows(InvalidInputException.class,
                () -> service.correctShipment(STAFF, ORDER, "Royal Mail", "RM1", "http://track.example.com/RM1", 0));
        assertThrows(InvalidInputException.class,
                () -> service.correctShipment(STAFF, ORDER, "Royal\nMail", "RM1", RIGHT_URL, 0));
        assertThrows(InvalidInputException.class,
                () -> service.correctShipment(STAFF, ORDER, "Royal Mail", "", RIGHT_URL, 0));
        assertThrows(InvalidInputException.class,
                () -> service.correctShipment(STAFF, ORDER, "Royal Mail", "RM1", RIGHT_URL, -1));
        // An unpaired surrogate: DynamoDB refused the whole transaction, answered 503 "try again" however often tried.
        assertThrows(InvalidInputException.class,
                () -> service.correctShipment(STAFF, ORDER, "Royal Mail", "RM123456789GB\ud800", RIGHT_URL, 0));

        assertEquals(before, book.orders.get(ORDER));
        assertEquals(0, book.correctionsWritten);
        assertTrue(events.published.isEmpty());
    }
}
