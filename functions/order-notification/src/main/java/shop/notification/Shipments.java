package shop.notification;

import java.util.Optional;
import shop.commerce.orders.Shipment;

/**
 * The back office's shipping records on an order (the order item's {@code shipment} map and its count of shipping address
 * changes, {@code shippingChanges}).
 */
public interface Shipments {
    Optional<Shipment> of(String orderId);

    /** How often the back office changed the order's shipping address: the number of its latest change, 0 for none. */
    int addressChanges(String orderId);
}
