package shop.commerce.catalog;

import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link StockReturns} on the products table: one conditional {@code ADD stock :q} per SKU (an
 * atomic increment, like a released reservation's lines in {@code DynamoReservationStore}), never
 * creating an item for a product that was deleted.
 */
public final class DynamoStockReturns implements StockReturns {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoStockReturns(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean giveBack(String sku, int quantity) {
        if (quantity <= 0) {
            throw new IllegalArgumentException("Pieces go back one or more at a time");
        }
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of("sku", s(sku)))
                    .updateExpression("ADD stock :q")
                    .conditionExpression("attribute_exists(sku)")
                    .expressionAttributeValues(Map.of(":q", n(quantity))));
            return true;
        } catch (ConditionalCheckFailedException deleted) {
            return false;
        }
    }
}
