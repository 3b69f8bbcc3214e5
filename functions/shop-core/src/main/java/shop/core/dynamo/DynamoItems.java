package shop.core.dynamo;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import shop.core.retention.RetentionSchedule;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Small helpers for single-table items keyed by {@code pk}, with TTL honoured on read. */
public final class DynamoItems {
    private DynamoItems() {
    }

    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    public static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    public static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", s(pk));
    }

    /**
     * DynamoDB deletes expired items only eventually (often within days): an item whose TTL
     * has passed is treated as gone.
     */
    public static boolean expired(Map<String, AttributeValue> item, Instant now) {
        AttributeValue ttl = item.get(RetentionSchedule.TTL_ATTRIBUTE);
        return ttl != null && ttl.n() != null && Long.parseLong(ttl.n()) <= now.getEpochSecond();
    }

    /** The item if it exists and has not expired. */
    public static Optional<Map<String, AttributeValue>> live(Map<String, AttributeValue> item, Instant now) {
        if (item == null || item.isEmpty() || expired(item, now)) {
            return Optional.empty();
        }
        return Optional.of(item);
    }

    public static Optional<String> string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? Optional.empty() : Optional.ofNullable(value.s());
    }

    /** The string attribute {@code name}, or null when the item has none. */
    public static String text(Map<String, AttributeValue> item, String name) {
        return string(item, name).orElse(null);
    }

    public static Optional<Boolean> bool(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? Optional.empty() : Optional.ofNullable(value.bool());
    }
}
