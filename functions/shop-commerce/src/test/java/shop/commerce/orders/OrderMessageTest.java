package shop.commerce.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OrderMessageTest {
    @Test
    void carriesIdsOnly() {
        var message = new OrderMessage(OrderMessage.Type.ORDER_PAID, "cs_test_a1");
        assertEquals("{\"type\":\"OrderPaid\",\"orderId\":\"cs_test_a1\"}", message.toJson());
        assertEquals(message, OrderMessage.parse(message.toJson()));
    }

    @Test
    void refundAndDisputeMessagesNameWhichOne() {
        var refund = new OrderMessage(OrderMessage.Type.ORDER_REFUNDED, "cs_test_a1", "re_123");
        assertEquals("{\"type\":\"OrderRefunded\",\"orderId\":\"cs_test_a1\",\"ref\":\"re_123\"}", refund.toJson());
        assertEquals(refund, OrderMessage.parse(refund.toJson()));
        var dispute = new OrderMessage(OrderMessage.Type.DISPUTE_OPENED, "cs_test_a1", "du_123");
        assertEquals(dispute, OrderMessage.parse(dispute.toJson()));
        var failed = new OrderMessage(OrderMessage.Type.REFUND_FAILED, "cs_test_a1", "re_123");
        assertEquals("{\"type\":\"RefundFailed\",\"orderId\":\"cs_test_a1\",\"ref\":\"re_123\"}", failed.toJson());
        assertEquals(failed, OrderMessage.parse(failed.toJson()));
        assertThrows(IllegalArgumentException.class, () -> new OrderMessage(OrderMessage.Type.REFUND_FAILED, "cs_test_a1"));
        assertThrows(IllegalArgumentException.class, () -> new OrderMessage(OrderMessage.Type.ORDER_REFUNDED, "cs_test_a1"));
        assertThrows(IllegalArgumentException.class,
                () -> new OrderMessage(OrderMessage.Type.ORDER_PAID, "cs_test_a1", "re_123"));
        assertThrows(IllegalArgumentException.class, () -> OrderMessage.parse(
                "{\"type\":\"OrderRefunded\",\"orderId\":\"cs_1\",\"ref\":\"re_1#MAIL\"}"));
    }

    @Test
    void aShipmentCorrectionMessageNamesTheCorrectionsNumber() {
        var corrected = new OrderMessage(OrderMessage.Type.SHIPMENT_CORRECTED, "cs_test_a1", "2");
        assertEquals("{\"type\":\"ShipmentCorrected\",\"orderId\":\"cs_test_a1\",\"ref\":\"2\"}", corrected.toJson());
        assertEquals(corrected, OrderMessage.parse(corrected.toJson()));
        for (String ref : new String[] {"0", "01", "re_123", "-1", "1#MAIL"}) {
            assertThrows(IllegalArgumentException.class,
                    () -> new OrderMessage(OrderMessage.Type.SHIPMENT_CORRECTED, "cs_test_a1", ref), ref);
        }
        assertThrows(IllegalArgumentException.class,
                () -> new OrderMessage(OrderMessage.Type.SHIPMENT_CORRECTED, "cs_test_a1"));
    }

    @Test
    void aShippingAddressChangeMessageNamesTheChangesNumber() {
        var changed = new OrderMessage(OrderMessage.Type.SHIPPING_ADDRESS_CHANGED, "cs_test_a1", "1");
        assertEquals("{\"type\":\"ShippingAddressChanged\",\"orderId\":\"cs_test_a1\",\"ref\":\"1\"}", changed.toJson());
        assertEquals(changed, OrderMessage.parse(changed.toJson()));
        for (String ref : new String[] {"0", "01", "re_123", "-1", "1#MAIL"}) {
            assertThrows(IllegalArgumentException.class,
                    () -> new OrderMessage(OrderMessage.Type.SHIPPING_ADDRESS_CHANGED, "cs_test_a1", ref), ref);
        }
        assertThrows(IllegalArgumentException.class,
                () -> new OrderMessage(OrderMessage.Type.SHIPPING_ADDRESS_CHANGED, "cs_test_a1"));
    }

    @Test
    void anEmailChangeMessageNamesTheChangesNumberAndNoAddress() {
        var changed = new OrderMessage(OrderMessage.Type.ORDER_EMAIL_CHANGED, "cs_test_a1", "2");
        assertEquals("{\"type\":\"OrderEmailChanged\",\"orderId\":\"cs_test_a1\",\"ref\":\"2\"}", changed.toJson());
        assertEquals(changed, OrderMessage.parse(changed.toJson()));
        for (String ref : new String[] {"0", "01", "ada_example_com", "-1", "1#MAIL"}) {
            assertThrows(IllegalArgumentException.class,
                    () -> new OrderMessage(OrderMessage.Type.ORDER_EMAIL_CHANGED, "cs_test_a1", ref), ref);
        }
        assertThrows(IllegalArgumentException.class, () -> new OrderMessage(OrderMessage.Type.ORDER_EMAIL_CHANGED, "cs_test_a1"));
    }

    @Test
    void refusesWhatIsNotAnOrderMessage() {
        assertThrows(IllegalArgumentException.class, () -> OrderMessage.parse("not json"));
        assertThrows(IllegalArgumentException.class, () -> OrderMessage.parse("{\"type\":\"OrderTeleported\",\"orderId\":\"cs_1\"}"));
        assertThrows(IllegalArgumentException.class, () -> OrderMessage.parse("{\"type\":\"OrderPaid\",\"orderId\":\"pi_1\"}"));
    }

    @Test
    void orderNumbersAreShortStableAndDistinct() {
        String number = OrderNumber.of("cs_test_a1");
        assertTrue(number.matches("[0-9A-Z]{4}-[0-9A-Z]{4}"), number);
        assertEquals(number, OrderNumber.of("cs_test_a1"));
        assertNotEquals(number, OrderNumber.of("cs_test_a2"));
    }
}
