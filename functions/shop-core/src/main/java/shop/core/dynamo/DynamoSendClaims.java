package shop.core.dynamo;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import shop.core.mail.SendClaim;
import shop.core.retention.RetentionSchedule;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Claims of mails that go out at least once and at most twice ({@link SendClaim}), one item per
 * mail in {@code table}: {@code status} CLAIMED or SENT, {@code claimToken} and {@code claimedAt}
 * (epoch seconds) while claimed, {@code sentAt} and the SES {@code messageId} once sent, and the
 * TTL the caller's retention rule gives. No address and no content.
 */
public final class DynamoSendClaims {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoSendClaims(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /**
     * Claims the mail of item {@code pk} with {@code token}: granted when there is no item, or when
     * it is still CLAIMED from before {@code staleBefore}. {@code alsoSet} names attributes the
     * item carries besides the claim's own (an index key, say). When refused, an item read without
     * a status (a record written before claims, for the same mail) counts as sent.
     */
    public SendClaim claim(String pk, String token, Instant now, Instant staleBefore, long expiresAt,
                           Map<String, AttributeValue> alsoSet) {
        Map<String, String> names = new HashMap<>(Map.of("#status", "status", "#ttl", RetentionSchedule.TTL_ATTRIBUTE));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":claimed", s("CLAIMED"),
                ":token", s(token),
                ":now", n(now.getEpochSecond()),
                ":stale", n(staleBefore.getEpochSecond()),
                ":ttl", n(expiresAt)));
        StringBuilder update = new StringBuilder("SET #status = :claimed, claimToken = :token, claimedAt = :now, #ttl = :ttl");
        int i = 0;
        for (var attribute : alsoSet.entrySet()) {
            names.put("#a" + i, attribute.getKey());
            values.put(":a" + i, attribute.getValue());
            update.append(", #a").append(i).append(" = :a").append(i);
            i++;
        }
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(pk))
                    .updateExpression(update.toString())
                    .conditionExpression("attribute_not_exists(pk) OR (#status = :claimed AND claimedAt < :stale)")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
            return SendClaim.CLAIMED;
        } catch (ConditionalCheckFailedException taken) {
            var item = dynamo.getItem(b -> b.tableName(table).key(key(pk)).consistentRead(true)).item();
            if (item == null || item.isEmpty()) {
                // Released (or expired) between the two calls: someone is about it; the caller tries again later.
                return SendClaim.HELD_ELSEWHERE;
            }
            AttributeValue status = item.get("status");
            return status != null && "CLAIMED".equals(status.s()) ? SendClaim.HELD_ELSEWHERE : SendClaim.ALREADY_SENT;
        }
    }

    /** SES accepted the mail as {@code messageId}: no claim will be granted again. */
    public void markSent(String pk, String messageId, Instant at) {
        dynamo.updateItem(b -> b.tableName(table).key(key(pk))
                .updateExpression("SET #status = :sent, sentAt = :at, messageId = :messageId REMOVE claimToken")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":sent", s("SENT"), ":at", s(at.toString()),
                        ":messageId", s(messageId))));
    }

    /** The send failed: lets the next attempt claim it again at once, only if {@code token} still holds it. */
    public void release(String pk, String token) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(key(pk))
                    .conditionExpression("#status = :claimed AND claimToken = :token")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":claimed", s("CLAIMED"), ":token", s(token))));
        } catch (ConditionalCheckFailedException notOurs) {
            // Taken over or sent meanwhile: not ours to release.
        }
    }
}
