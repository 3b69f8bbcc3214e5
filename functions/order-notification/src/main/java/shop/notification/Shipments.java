package shop.notification;

import java.util.Optional;
import shop.commerce.orders.Shipment;

/** The shipment the back office recorded on an order (the order item's {@code shipment} map). */
public interface Shipments {
    Optional<Shipment> of(String orderId);
}
