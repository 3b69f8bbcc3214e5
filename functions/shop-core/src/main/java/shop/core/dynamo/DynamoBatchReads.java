package shop.core.dynamo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * {@code BatchGetItem} of up to 100 keys of one table. Under load DynamoDB answers part of a
 * batch and hands the rest back as unprocessed keys; those are asked for again after a growing
 * pause (AWS's advice for batch operations), a bounded number of times.
 */
public final class DynamoBatchReads {
    /** How often unprocessed keys are asked for again before the read gives up. */
    static final int TRIES = 7;

    private DynamoBatchReads() {
    }

    /**
     * The items found for {@code keys} of {@code table}, by their {@code pk}; a key with no item
     * is absent. {@code keys} carries the projection and the consistency wanted, and must name
     * {@code pk} in a projection.
     *
     * @throws IllegalStateException when DynamoDB still leaves keys unprocessed after {@link #TRIES} asks
     */
    public static Map<String, Map<String, AttributeValue>> byPk(DynamoDbClient dynamo, String table, KeysAndAttributes keys) {
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        Map<String, KeysAndAttributes> asked = Map.of(table, keys);
        for (int tries = 0; !asked.isEmpty(); tries++) {
            if (tries == TRIES) {
                throw new IllegalStateException("DynamoDB left " + asked.get(table).keys().size() + " keys of " + table + " unread");
            }
            if (tries > 0) {
                pause(tries);
            }
            Map<String, KeysAndAttributes> ask = asked;
            BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(ask));
            response.responses().getOrDefault(table, List.of()).forEach(item -> found.put(item.get("pk").s(), item));
            asked = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
        return found;
    }

    private static void pause(int tries) {
        try {
            Thread.sleep(Math.min(1000, 25L << tries));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
