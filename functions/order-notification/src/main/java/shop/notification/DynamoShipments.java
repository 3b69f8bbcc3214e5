package shop.notification;

import static shop.core.dynamo.DynamoItems.key;

import java.util.Optional;
import shop.commerce.orders.DynamoOrderStore;
import shop.commerce.orders.Shipment;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@link Shipments} on the orders table: the {@code shipment} map and the {@code shippingChanges} and
 * {@code emailChanges} counts of {@code ORDER#<id>}, read consistently.
 */
final class DynamoShipments implements Shipments {
    private final DynamoDbClient dynamo;
    private final String table;

    DynamoShipments(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<Shipment> of(String orderId) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key("ORDER#" + orderId)).consistentRead(true)
                .projectionExpression("shipment")).item();
        return DynamoOrderStore.shipment(item);
    }

    @Override
    public int addressChanges(String orderId) {
        return count(orderId, "shippingChanges");
    }

    @Override
    public int emailChanges(String orderId) {
        return count(orderId, "emailChanges");
    }

    private int count(String orderId, String attribute) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key("ORDER#" + orderId)).consistentRead(true)
                .projectionExpression(attribute)).item();
        var count = item == null ? null : item.get(attribute);
        return count == null || count.n() == null ? 0 : Integer.parseInt(count.n());
    }
}
