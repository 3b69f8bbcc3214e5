package shop.notification;

import java.util.Optional;
import shop.commerce.orders.Shipment;

/**
 * The back office's records on an order (the order item's {@code shipment} map, its count of shipping address
 * changes, {@code shippingChanges}, and of customer email corrections, {@code emailChanges}).
 */
public interface Shipments {
    Optional<Shipment> of(String orderId);

    /** How often the back office changed the order's shipping address: the number of its latest change, 0 for none. */
    int addressChanges(String orderId);

    /** How often the back office corrected the order's customer email: the number of its latest correction, 0 for none. */
    int emailChanges(String orderId);
}
