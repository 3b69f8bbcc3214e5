package shop.orderstatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import shop.commerce.Money;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderItem;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.OrderTotals;
import shop.commerce.orders.PostalAddress;
import shop.commerce.testing.InMemoryOrderStore;
import shop.core.errors.NotFoundException;
import shop.core.json.Json;

class OrderStatusServiceTest {
    private static final String SESSION = "cs_test_a1B2c3D4e5F6g7H8i9J0";
    private final InMemoryOrderStore orders = new InMemoryOrderStore();
    private final OrderStatusService service = new OrderStatusService(orders);

    @Test
    void showsTheOrderWithoutAnythingPersonal() {
        var address = new PostalAddress("Ada Lovelace", "12 Marine Parade", null, "BN2 1TL", "Brighton", null, "GB");
        orders.create(new Order(SESSION, "JS-1042", OrderStatus.PAID, "res_1", "Ada Lovelace", "ada@example.com",
                address, address, List.of(new OrderItem("RING-ARIA", "Aria ring", 1, Money.of(18_500, "USD"),
                        Money.of(18_500, "USD"))),
                new OrderTotals(Money.of(18_500, "USD"), Money.of(1_500, "USD"), Money.of(0, "USD"), Money.of(0, "USD"),
                        Money.of(20_000, "USD")), 0, "pi_1", false, Instant.parse("2026-11-25T10:00:00Z"),
                Instant.parse("2026-11-25T10:01:00Z"), Set.of(), null), 0);

        var view = service.find(SESSION);

        assertEquals("JS-1042", view.orderNumber());
        assertEquals("PAID", view.status());
        assertEquals("Aria ring", view.items().get(0).name());
        assertEquals("$200.00", view.total());
        String json = Json.write(view);
        for (String personal : List.of("Ada", "Lovelace", "ada@example.com", "Marine", "BN2", "Brighton")) {
            assertFalse(json.contains(personal), personal + " in " + json);
        }
    }

    @Test
    void unknownAndMalformedSessionIdsAreNotFoundAlike() {
        var unknown = assertThrows(NotFoundException.class, () -> service.find("cs_test_doesNotExist0000"));
        var malformed = assertThrows(NotFoundException.class, () -> service.find("../ORDER#x"));
        assertEquals(unknown.getMessage(), malformed.getMessage());
    }
}
