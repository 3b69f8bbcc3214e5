package shop.adminorders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import shop.commerce.orders.OrderStatus;
import shop.core.json.Json;

class PackingSlipServiceTest extends OrderServicesFixture {
    private final PackingSlipService service = new PackingSlipService(records);

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
}
