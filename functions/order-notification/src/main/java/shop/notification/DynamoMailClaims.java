package shop.notification;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Instant;
import java.util.Map;
import shop.commerce.orders.OrderIndexes;
import shop.core.retention.RetentionSchedule;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Mail claims in the orders table, one item {@code MAIL#<order id>#<kind>} (with {@code #<refund or
 * dispute id>} for the mails sent once per refund or dispute): status CLAIMED or SENT, claim token
 * and time, SES message id, and the order id (the {@code mailsByOrder} index's key, so an order's
 * detail and its customer's access request find its mails with a Query). No address and no content.
 */
final class DynamoMailClaims implements MailClaims {
    private static final String TTL = RetentionSchedule.TTL_ATTRIBUTE;

    private final DynamoDbClient dynamo;
    private final String table;

    DynamoMailClaims(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Claim claim(String orderId, MailKind kind, String ref, String token, Instant now, Instant staleBefore) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder()
                    .tableName(table)
                    .key(key(pk(orderId, kind, ref)))
                    .updateExpression("SET #status = :claimed, claimToken = :token, claimedAt = :now, #ttl = :ttl, #order = :order")
                    .conditionExpression("attribute_not_exists(pk) OR (#status = :claimed AND claimedAt < :stale)")
                    .expressionAttributeNames(Map.of("#status", "status", "#ttl", TTL, "#order", OrderIndexes.MAIL_ORDER_ID))
                    .expressionAttributeValues(Map.of(
                            ":order", s(orderId),
                            ":claimed", s("CLAIMED"),
                            ":token", s(token),
                            ":now", n(now.getEpochSecond()),
                            ":stale", n(staleBefore.getEpochSecond()),
                            ":ttl", n(RetentionSchedule.ORDER_MAIL_CLAIM.expiresAt(now))))
                    .build());
            return Claim.CLAIMED;
        } catch (ConditionalCheckFailedException taken) {
            var item = dynamo.getItem(b -> b.tableName(table).key(key(pk(orderId, kind, ref))).consistentRead(true)).item();
            return item != null && item.containsKey("status") && "SENT".equals(item.get("status").s())
                    ? Claim.ALREADY_SENT : Claim.HELD_ELSEWHERE;
        }
    }

    @Override
    public void markSent(String orderId, MailKind kind, String ref, String messageId, Instant at) {
        dynamo.updateItem(UpdateItemRequest.builder()
                .tableName(table)
                .key(key(pk(orderId, kind, ref)))
                .updateExpression("SET #status = :sent, sentAt = :at, messageId = :messageId REMOVE claimToken")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":sent", s("SENT"), ":at", s(at.toString()),
                        ":messageId", s(messageId)))
                .build());
    }

    @Override
    public void release(String orderId, MailKind kind, String ref, String token) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(key(pk(orderId, kind, ref)))
                    .conditionExpression("#status = :claimed AND claimToken = :token")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":claimed", s("CLAIMED"), ":token", s(token))));
        } catch (ConditionalCheckFailedException notOurs) {
            // Taken over or sent meanwhile: not ours to release.
        }
    }

    private static String pk(String orderId, MailKind kind, String ref) {
        return "MAIL#" + orderId + "#" + kind.name() + (ref == null ? "" : "#" + ref);
    }
}
