package shop.orderstatus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import shop.commerce.orders.OrderStore;

class OrderStatusHandlerTest {
    /**
     * The first call after a SnapStart restore reads an order: priming must get as far as that
     * read, not stop at the service's check of the id's shape.
     */
    @Test
    void snapStartPrimingLooksTheOrderUpAsARealRequestDoes() {
        List<String> lookedUp = new ArrayList<>();
        var store = (OrderStore) Proxy.newProxyInstance(OrderStore.class.getClassLoader(), new Class<?>[] {OrderStore.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("find")) {
                        throw new UnsupportedOperationException("priming must only read: " + method.getName());
                    }
                    lookedUp.add((String) args[0]);
                    return Optional.empty();
                });

        new OrderStatusHandler(new OrderStatusService(store)).prime();

        assertEquals(List.of(OrderStatusHandler.NEVER_ORDERED), lookedUp);
    }
}
