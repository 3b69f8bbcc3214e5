package shop.visits;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.n;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import shop.core.dynamo.DynamoBatchReads;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Daily counters in the statistics table (template.yaml's StatsTable). One DynamoDB item takes
 * at most 1,000 writes a second, so each day's page views and visitors are spread over
 * {@link #SHARDS} items {@code VISITS#<day>#<shard>} (see the README for the arithmetic) and
 * summed on read. The orders count is the commerce counter, {@value #ORDER_SHARDS} items
 * {@code ORDERS#<day>#<shard>} (shop-commerce's DynamoOrderCounter), summed the same way, plus
 * the single {@code ORDERS#<day>} item that counted a day's orders before the counter was
 * sharded, so that a stack deployed before then keeps its history.
 */
final class DynamoDailyCounters implements DailyCounters {
    static final int SHARDS = 20;
    /** DynamoOrderCounter.SHARDS of shop-commerce, which this function does not ship. */
    static final int ORDER_SHARDS = 16;
    private static final int BATCH = 100;
    private final DynamoDbClient dynamo;
    private final String table;

    DynamoDailyCounters(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void countPageView(LocalDate day, boolean newVisitor) {
        int shard = ThreadLocalRandom.current().nextInt(SHARDS);
        dynamo.updateItem(b -> b.tableName(table)
                .key(key("VISITS#" + day + "#" + shard))
                .updateExpression("ADD pageViews :one, visitors :visitor")
                .expressionAttributeValues(Map.of(":one", n(1), ":visitor", n(newVisitor ? 1 : 0))));
    }

    @Override
    public List<DailyStats> read(LocalDate from, LocalDate to) {
        List<String> keys = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            keys.add("ORDERS#" + day);
            for (int shard = 0; shard < ORDER_SHARDS; shard++) {
                keys.add("ORDERS#" + day + "#" + shard);
            }
            for (int shard = 0; shard < SHARDS; shard++) {
                keys.add("VISITS#" + day + "#" + shard);
            }
        }
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        for (int start = 0; start < keys.size(); start += BATCH) {
            List<Map<String, AttributeValue>> batch = keys.subList(start, Math.min(start + BATCH, keys.size()))
                    .stream().map(pk -> key(pk)).toList();
            fetch(batch, items);
        }
        List<DailyStats> days = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            long visitors = 0;
            long pageViews = 0;
            long orders = number(items.get("ORDERS#" + day), "orders");
            for (int shard = 0; shard < SHARDS; shard++) {
                var item = items.get("VISITS#" + day + "#" + shard);
                visitors += number(item, "visitors");
                pageViews += number(item, "pageViews");
            }
            for (int shard = 0; shard < ORDER_SHARDS; shard++) {
                orders += number(items.get("ORDERS#" + day + "#" + shard), "orders");
            }
            days.add(new DailyStats(day, visitors, pageViews, orders));
        }
        return days;
    }

    /** BatchGetItem may return part of a batch as unprocessed under load: DynamoBatchReads asks again for those. */
    private void fetch(List<Map<String, AttributeValue>> keys, Map<String, Map<String, AttributeValue>> into) {
        into.putAll(DynamoBatchReads.byPk(dynamo, table, KeysAndAttributes.builder().keys(keys)
                .projectionExpression("pk, visitors, pageViews, orders").consistentRead(true).build()));
    }

    private static long number(Map<String, AttributeValue> item, String attribute) {
        return item == null || !item.containsKey(attribute) ? 0 : Long.parseLong(item.get(attribute).n());
    }
}
