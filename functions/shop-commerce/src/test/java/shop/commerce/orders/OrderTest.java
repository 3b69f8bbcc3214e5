package shop.commerce.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import shop.commerce.testing.Samples;

/** Why an order needs the owner: always said, and only as a short code. */
class OrderTest {

    @Test
    void anOrderThatNeedsTheOwnerSaysWhy() {
        Order paid = Samples.order("cs_test_why", OrderStatus.PAID, "ada@example.com", "Ada");

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> withReason(
                paid, OrderStatus.NEEDS_ATTENTION, null));
        assertEquals("An order that needs the owner says why", refused.getMessage());
        assertNull(paid.attentionReason());
        assertEquals("deactivated_email", withReason(paid, OrderStatus.PAID, "deactivated_email").attentionReason(),
                "an order the owner accepted keeps why it needed them");
    }

    @Test
    void anOrderPaidAfterItsStockWentBackNeedsTheOwnerForThatWhateverElseItNeededThemFor() {
        Order bound = withReason(Samples.order("cs_test_why", OrderStatus.PAID, "ada@example.com", "Ada"),
                OrderStatus.NEEDS_ATTENTION, "deactivated_email");

        Order unheld = bound.stockNotHeld();

        assertEquals(OrderStatus.NEEDS_ATTENTION, unheld.status());
        assertEquals("stock_not_held", unheld.attentionReason());
        assertNull(unheld.reservationId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Stock", "stock not held", "ada@example.com", "_x", "a1", "stock-not-held",
            "a_reason_that_goes_on_for_more_than_forty_c"})
    void aReasonIsAShortCodeNeverText(String reason) {
        Order paid = Samples.order("cs_test_why", OrderStatus.PAID, "ada@example.com", "Ada");

        assertThrows(IllegalArgumentException.class, () -> withReason(paid, OrderStatus.NEEDS_ATTENTION, reason));
    }

    private static Order withReason(Order o, OrderStatus status, String reason) {
        return new Order(o.id(), o.number(), status, o.reservationId(), o.customerName(), o.customerEmail(), o.shipping(),
                o.billing(), o.items(), o.totals(), o.amountRefunded(), o.paymentIntentId(), o.livemode(), o.createdAt(),
                o.paidAt(), o.done(), reason);
    }
}
