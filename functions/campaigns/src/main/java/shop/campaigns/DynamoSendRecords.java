package shop.campaigns;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Instant;
import java.util.Map;
import shop.core.retention.RetentionSchedule;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Send records {@code SEND#<campaign id>#<address hash>} in the campaigns table: a conditional put
 * claims the recipient ({@code pass}: the pass that claimed them); {@code counted} is the pass in
 * which they were counted as handled, set with the outcome and before the campaign's counter.
 */
final class DynamoSendRecords implements SendRecords {
    private final DynamoDbClient dynamo;
    private final String table;

    DynamoSendRecords(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    static String pk(String campaignId, String addressHash) {
        return "SEND#" + campaignId + "#" + addressHash;
    }

    @Override
    public boolean claim(String campaignId, String addressHash, int pass, Instant at) {
        try {
            dynamo.putItem(b -> b.tableName(table).item(Map.of(
                            "pk", s(pk(campaignId, addressHash)),
                            "claimedAt", s(at.toString()),
                            "pass", n(pass),
                            RetentionSchedule.TTL_ATTRIBUTE, n(RetentionSchedule.CAMPAIGN_SEND_RECORD.expiresAt(at))))
                    .conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException alreadyTried) {
            return false;
        }
    }

    @Override
    public void sent(String campaignId, String addressHash, int pass, String messageId, Instant at) {
        dynamo.updateItem(b -> b.tableName(table).key(key(pk(campaignId, addressHash)))
                .updateExpression("SET messageId = :id, sentAt = :at, counted = if_not_exists(counted, :pass)")
                .expressionAttributeValues(Map.of(":id", s(messageId), ":at", s(at.toString()), ":pass", n(pass))));
    }

    @Override
    public void skipped(String campaignId, String addressHash, int pass, String why) {
        dynamo.updateItem(b -> b.tableName(table).key(key(pk(campaignId, addressHash)))
                .updateExpression("SET skipped = :why, counted = if_not_exists(counted, :pass)")
                .expressionAttributeValues(Map.of(":why", s(why), ":pass", n(pass))));
    }

    @Override
    public void release(String campaignId, String addressHash) {
        dynamo.deleteItem(b -> b.tableName(table).key(key(pk(campaignId, addressHash)))
                .conditionExpression("attribute_not_exists(messageId)"));
    }

    @Override
    public boolean adopt(String campaignId, String addressHash, int pass, Instant abandonedBefore) {
        try {
            // Records made before passes were kept (no pass) count as done. claimedAt is an ISO-8601
            // instant: compared as text it is off by at most a fraction of a second.
            dynamo.updateItem(b -> b.tableName(table).key(key(pk(campaignId, addressHash)))
                    .updateExpression("SET counted = :pass")
                    .conditionExpression("attribute_exists(pk) AND (counted < :pass OR (attribute_not_exists(counted)"
                            + " AND (attribute_not_exists(#pass) OR #pass < :pass OR claimedAt < :before)))")
                    .expressionAttributeNames(Map.of("#pass", "pass"))
                    .expressionAttributeValues(Map.of(":pass", n(pass), ":before", s(abandonedBefore.toString()))));
            return true;
        } catch (ConditionalCheckFailedException countedOrInFlight) {
            return false;
        }
    }
}
