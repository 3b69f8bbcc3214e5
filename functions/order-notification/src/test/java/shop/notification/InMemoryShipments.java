package shop.notification;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import shop.commerce.orders.Shipment;

final class InMemoryShipments implements Shipments {
    final Map<String, Shipment> shipments = new ConcurrentHashMap<>();
    final Map<String, Integer> addressChanges = new ConcurrentHashMap<>();
    final Map<String, Integer> emailChanges = new ConcurrentHashMap<>();

    @Override
    public Optional<Shipment> of(String orderId) {
        return Optional.ofNullable(shipments.get(orderId));
    }

    @Override
    public int addressChanges(String orderId) {
        return addressChanges.getOrDefault(orderId, 0);
    }

    @Override
    public int emailChanges(String orderId) {
        return emailChanges.getOrDefault(orderId, 0);
    }
}
