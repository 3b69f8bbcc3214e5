package shop.commerce.stats;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * One item per UTC day in the statistics table, {@code ORDERS#2026-11-25}, with the count in
 * {@code orders}. The increment and the note of which order it was for ({@code counted}, a set of
 * short one-way hashes of the order ids) are one conditional update: without transactions, that
 * is what makes "exactly once per order" hold across retries and concurrent deliveries. The
 * hashes cannot be turned back into an order or a person.
 */
public final class DynamoOrderCounter implements OrderCounter {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoOrderCounter(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public static String pk(LocalDate day) {
        return "ORDERS#" + day;
    }

    @Override
    public boolean count(LocalDate day, String orderId) {
        String marker = marker(orderId);
        try {
            dynamo.updateItem(UpdateItemRequest.builder()
                    .tableName(table)
                    .key(key(pk(day)))
                    .updateExpression("ADD orders :one, counted :marker")
                    .conditionExpression("NOT contains(counted, :m)")
                    .expressionAttributeValues(Map.of(
                            ":one", n(1),
                            ":marker", AttributeValue.fromSs(List.of(marker)),
                            ":m", s(marker)))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException alreadyCounted) {
            return false;
        }
    }

    @Override
    public long orders(LocalDate day) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(pk(day))).consistentRead(true)).item();
        return item == null || !item.containsKey("orders") ? 0 : Long.parseLong(item.get("orders").n());
    }

    /** 64 bits of SHA-256: no collision among a day's orders, and not reversible. */
    private static String marker(String orderId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(orderId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
