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
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link #SHARDS} items per UTC day in the statistics table, {@code ORDERS#2026-11-25#<shard>},
 * each with a count in {@code orders}; the day's count is their sum. The increment and the note
 * of which order it was for ({@code counted}, a set of short one-way hashes of the order ids)
 * are one conditional update, written in the paid order's own transaction: the order's condition
 * already makes the count happen once, and the note keeps it so for any other writer. An order's
 * shard follows from its hash, so a retry meets its own note. The hashes cannot be turned back
 * into an order or a person.
 *
 * <p>Why shards: an update writes (and is billed for) the whole item, and the set grows with
 * each order of the day; spread over 16 items, each holds a sixteenth of the day's hashes.
 */
public final class DynamoOrderCounter implements OrderCounter {
    /** The visits function sums the same shards for partners' statistics (its DynamoDailyCounters). */
    public static final int SHARDS = 16;
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoOrderCounter(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public static String pk(LocalDate day, int shard) {
        return "ORDERS#" + day + "#" + shard;
    }

    @Override
    public boolean count(LocalDate day, String orderId) {
        try {
            dynamo.updateItem(increment(day, orderId));
            return true;
        } catch (ConditionalCheckFailedException alreadyCounted) {
            return false;
        }
    }

    /** The same increment as {@link #count}, as a paid order's part of its transaction ({@code DynamoPaidOrders}). */
    public TransactWriteItem countItem(LocalDate day, String orderId) {
        UpdateItemRequest increment = increment(day, orderId);
        return TransactWriteItem.builder().update(Update.builder().tableName(increment.tableName()).key(increment.key())
                .updateExpression(increment.updateExpression()).conditionExpression(increment.conditionExpression())
                .expressionAttributeValues(increment.expressionAttributeValues()).build()).build();
    }

    private UpdateItemRequest increment(LocalDate day, String orderId) {
        byte[] digest = sha256(orderId);
        // 64 bits of SHA-256: no collision among a day's orders, and not reversible.
        String marker = HexFormat.of().formatHex(digest, 0, 8);
        int shard = Byte.toUnsignedInt(digest[8]) % SHARDS;
        return UpdateItemRequest.builder()
                .tableName(table)
                .key(key(pk(day, shard)))
                .updateExpression("ADD orders :one, counted :marker")
                .conditionExpression("NOT contains(counted, :m)")
                .expressionAttributeValues(Map.of(
                        ":one", n(1),
                        ":marker", AttributeValue.fromSs(List.of(marker)),
                        ":m", s(marker)))
                .build();
    }

    @Override
    public long orders(LocalDate day) {
        long orders = 0;
        for (int shard = 0; shard < SHARDS; shard++) {
            String pk = pk(day, shard);
            var item = dynamo.getItem(b -> b.tableName(table).key(key(pk)).consistentRead(true)).item();
            orders += item == null || !item.containsKey("orders") ? 0 : Long.parseLong(item.get("orders").n());
        }
        return orders;
    }

    private static byte[] sha256(String orderId) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(orderId.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
