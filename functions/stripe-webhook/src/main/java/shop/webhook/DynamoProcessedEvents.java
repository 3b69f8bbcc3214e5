package shop.webhook;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import shop.core.dynamo.DynamoItems;
import shop.core.retention.RetentionSchedule;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Processed events in the orders table, one item {@code EVENT#<event id>} each: id, type and time only. */
final class DynamoProcessedEvents implements ProcessedEvents {
    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    DynamoProcessedEvents(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public boolean seen(String eventId) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(pk(eventId))).consistentRead(true)).item();
        return DynamoItems.live(item, clock.instant()).isPresent();
    }

    @Override
    public void record(String eventId, String type) {
        Instant now = clock.instant();
        // Unconditional: two deliveries that both finished write the same fact.
        dynamo.putItem(b -> b.tableName(table).item(Map.of(
                "pk", s(pk(eventId)),
                "type", s(type),
                "processedAt", s(now.toString()),
                RetentionSchedule.TTL_ATTRIBUTE, n(RetentionSchedule.WEBHOOK_EVENT.expiresAt(now)))));
    }

    private static String pk(String eventId) {
        return "EVENT#" + eventId;
    }
}
