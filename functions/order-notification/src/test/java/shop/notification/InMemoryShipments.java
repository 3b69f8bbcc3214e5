package shop.notification;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import shop.commerce.orders.Shipment;

final class InMemoryShipments implements Shipments {
    final Map<String, Shipment> shipments = new ConcurrentHashMap<>();

    @Override
    public Optional<Shipment> of(String orderId) {
        return Optional.ofNullable(shipments.get(orderId));
    }
}
