package shop.adminorders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import shop.commerce.orders.OrderStatus;
import shop.core.errors.NotFoundException;

class OrderRecordServiceTest extends OrderServicesFixture {
    private final ShipmentService shipments = new ShipmentService(book, events, records, clock);
    private final PackingSlipService slips = new PackingSlipService(records, book);
    private final OrderRecordService service = records;

    @ParameterizedTest
    @ValueSource(strings = {"cs_test_unknown", "pi_123", "ORDER#cs_x", "../cs_x", ""})
    void anUnknownOrMalformedIdIsNotFound(String id) {
        assertThrows(NotFoundException.class, () -> service.detail(id));
        assertThrows(NotFoundException.class, () -> slips.packingSlip(id));
        assertThrows(NotFoundException.class, () -> shipments.ship(STAFF, id, "Royal Mail", "RM1", URL));
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
}
