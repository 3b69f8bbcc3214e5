package shop.core.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import shop.core.dynamo.DynamoItems;
import shop.core.retention.RetentionSchedule;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Fixed-window counters as single items: one conditional ADD per attempt, so concurrent
 * requests cannot overshoot the limit, and a TTL that removes the counter after its window.
 */
public final class DynamoRateLimiter implements RateLimiter {
    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoRateLimiter(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public boolean tryAcquire(String key, int limit, Duration window) {
        Instant now = clock.instant();
        long windowStart = now.getEpochSecond() / window.toSeconds() * window.toSeconds();
        Instant windowEnd = Instant.ofEpochSecond(windowStart).plus(window);
        try {
            dynamo.updateItem(UpdateItemRequest.builder()
                    .tableName(table)
                    .key(Map.of("pk", DynamoItems.s("RATE#" + key + "#" + windowStart)))
                    .updateExpression("ADD hits :one SET #ttl = :ttl")
                    .conditionExpression("attribute_not_exists(hits) OR hits < :limit")
                    .expressionAttributeNames(Map.of("#ttl", RetentionSchedule.TTL_ATTRIBUTE))
                    .expressionAttributeValues(Map.of(
                            ":one", DynamoItems.n(1),
                            ":limit", DynamoItems.n(limit),
                            ":ttl", DynamoItems.n(RetentionSchedule.RATE_LIMIT_COUNTER.expiresAt(windowEnd))))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
