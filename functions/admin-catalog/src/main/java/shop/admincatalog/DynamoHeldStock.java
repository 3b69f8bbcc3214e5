package shop.admincatalog;

import static shop.core.dynamo.DynamoItems.s;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import shop.core.dynamo.DynamoItems;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Reads the holds of open reservations in the checkouts table ({@code RESERVATION#<id>} items,
 * list {@code lines} of SKU and quantity; an OPEN reservation's lines are held, their stock
 * already taken in the transaction that wrote it). Only read: the back office
 * never changes a reservation. A scan, as the abandoned-checkouts run's: the table keeps only
 * reservations, each for 4 days, so a small shop's scan reads a few thousand items at most.
 */
public final class DynamoHeldStock implements HeldStock {
    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoHeldStock(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public Map<String, Integer> heldBySku() {
        Map<String, Integer> held = new HashMap<>();
        var items = dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)
                .filterExpression("begins_with(pk, :reservation) AND #status = :open AND attribute_exists(#lines)")
                .projectionExpression("pk, #lines, expiresAt")
                .expressionAttributeNames(Map.of("#status", "status", "#lines", "lines"))
                .expressionAttributeValues(Map.of(":reservation", s("RESERVATION#"), ":open", s("OPEN")))).items();
        var now = clock.instant();
        for (var item : items) {
            if (DynamoItems.expired(item, now) || !item.get("lines").hasL()) {
                continue;
            }
            item.get("lines").l().forEach(line -> held.merge(line.m().get("sku").s(),
                    Integer.parseInt(line.m().get("quantity").n()), Integer::sum));
        }
        return held;
    }
}
