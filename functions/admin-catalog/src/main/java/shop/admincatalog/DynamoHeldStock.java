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
 * already taken in the transaction that wrote it). Only read: the back office never changes a
 * reservation. A Query on the OPEN partition of the index ReservationsByStatus, so an admin
 * request reads the checkouts open now, not every reservation of the last 4 days.
 *
 * <p>The index is eventually consistent: a checkout that began or ended a moment ago may be
 * missing from, or still in, the count. That is acceptable because the count is only shown:
 * what keeps the stock from dropping below what checkouts hold is the conditional write on the
 * product's own count (see AdminCatalogService.adjustStock), not this number.
 */
public final class DynamoHeldStock implements HeldStock {
    /** template.yaml's index of reservations keyed by their status. */
    static final String BY_STATUS = "ReservationsByStatus";

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
        var items = dynamo.queryPaginator(b -> b.tableName(table).indexName(BY_STATUS)
                .keyConditionExpression("#status = :open")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":open", s("OPEN")))).items();
        var now = clock.instant();
        for (var item : items) {
            if (DynamoItems.expired(item, now) || !item.containsKey("lines") || !item.get("lines").hasL()) {
                continue;
            }
            item.get("lines").l().forEach(line -> held.merge(line.m().get("sku").s(),
                    Integer.parseInt(line.m().get("quantity").n()), Integer::sum));
        }
        return held;
    }
}
