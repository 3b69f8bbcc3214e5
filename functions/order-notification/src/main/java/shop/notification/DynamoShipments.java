package shop.notification;

import static shop.core.dynamo.DynamoItems.key;

import java.util.Optional;
import shop.commerce.orders.DynamoOrderStore;
import shop.commerce.orders.Shipment;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@link Shipments} on the orders table: the {@code shipment} map and the {@code shippingChanges} count of
 * {@code ORDER#<id>}, read consistently.
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
        var item = dynamo.getItem(b -> b.tableName(table).key(key("ORDER#" + orderId)).consistentRead(true)
                .projectionExpression("shippingChanges")).item();
        var count = item == null ? null : item.get("shippingChanges");
        return count == null || count.n() == null ? 0 : Integer.parseInt(count.n());
    }
}
