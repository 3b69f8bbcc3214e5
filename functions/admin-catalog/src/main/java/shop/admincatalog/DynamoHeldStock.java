package shop.admincatalog;

import static shop.core.dynamo.DynamoItems.s;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import shop.core.dynamo.DynamoItems;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Reads the holds of open reservations in the checkouts table ({@code RESERVATION#<id>} items,
 * map {@code holds} of SKU → pieces, written by StockReservations). Only read: the back office
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
                .filterExpression("begins_with(pk, :reservation) AND #status = :open AND attribute_exists(holds)")
                .projectionExpression("pk, holds, expiresAt")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":reservation", s("RESERVATION#"), ":open", s("OPEN")))).items();
        var now = clock.instant();
        for (var item : items) {
            if (DynamoItems.expired(item, now) || !item.get("holds").hasM()) {
                continue;
            }
            item.get("holds").m().forEach((sku, pieces) -> held.merge(sku, Integer.parseInt(pieces.n()), Integer::sum));
        }
        return held;
    }
}
