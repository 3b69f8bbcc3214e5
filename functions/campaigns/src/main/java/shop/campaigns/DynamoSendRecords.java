package shop.campaigns;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Instant;
import java.util.Map;
import shop.core.retention.RetentionSchedule;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Send records {@code SEND#<campaign id>#<address hash>} in the campaigns table: a conditional
 * update claims the recipient ({@code pass}: the pass that first claimed them; {@code attemptAt}:
 * an attempt is under way); {@code counted} is the pass in which they were counted as handled, set
 * with the outcome and before the campaign's counter. {@code failed} marks a recipient given up on
 * their message's last receive, whom that message may claim again once ({@code attemptAt} absent).
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
    public Claim claim(String campaignId, String addressHash, int pass, Instant at) {
        try {
            // One write for both: a new record, or a failed one (counted in this pass or a later one;
            // a message of an earlier pass is redriven) that no one is trying now. The old item tells which.
            var old = dynamo.updateItem(b -> b.tableName(table).key(key(pk(campaignId, addressHash)))
                    .updateExpression("SET claimedAt = if_not_exists(claimedAt, :at), #pass = if_not_exists(#pass, :pass),"
                            + " #ttl = if_not_exists(#ttl, :ttl), attemptAt = :at")
                    .conditionExpression("attribute_not_exists(pk) OR (attribute_exists(#failed)"
                            + " AND attribute_not_exists(attemptAt) AND counted >= :pass)")
                    .expressionAttributeNames(Map.of("#pass", "pass", "#ttl", RetentionSchedule.TTL_ATTRIBUTE,
                            "#failed", "failed"))
                    .expressionAttributeValues(Map.of(":at", s(at.toString()), ":pass", n(pass),
                            ":ttl", n(RetentionSchedule.CAMPAIGN_SEND_RECORD.expiresAt(at))))
                    .returnValues(ReturnValue.ALL_OLD)).attributes();
            return old == null || old.isEmpty() ? Claim.NEW : Claim.RETRY;
        } catch (ConditionalCheckFailedException alreadyTried) {
            return Claim.TAKEN;
        }
    }

    @Override
    public void sent(String campaignId, String addressHash, int pass, String messageId, Instant at) {
        dynamo.updateItem(b -> b.tableName(table).key(key(pk(campaignId, addressHash)))
                .updateExpression("SET messageId = :id, sentAt = :at, counted = if_not_exists(counted, :pass)"
                        + " REMOVE #failed, attemptAt")
                .expressionAttributeNames(Map.of("#failed", "failed"))
                .expressionAttributeValues(Map.of(":id", s(messageId), ":at", s(at.toString()), ":pass", n(pass))));
    }

    @Override
    public void skipped(String campaignId, String addressHash, int pass, String why) {
        dynamo.updateItem(b -> b.tableName(table).key(key(pk(campaignId, addressHash)))
                .updateExpression("SET skipped = :why, counted = if_not_exists(counted, :pass) REMOVE #failed, attemptAt")
                .expressionAttributeNames(Map.of("#failed", "failed"))
                .expressionAttributeValues(Map.of(":why", s(why), ":pass", n(pass))));
    }

    @Override
    public void failed(String campaignId, String addressHash, int pass, String why) {
        dynamo.updateItem(b -> b.tableName(table).key(key(pk(campaignId, addressHash)))
                .updateExpression("SET #failed = :why, counted = if_not_exists(counted, :pass) REMOVE attemptAt")
                .conditionExpression("attribute_exists(pk) AND attribute_not_exists(messageId)")
                .expressionAttributeNames(Map.of("#failed", "failed"))
                .expressionAttributeValues(Map.of(":why", s(why), ":pass", n(pass))));
    }

    @Override
    public void release(String campaignId, String addressHash, Claim claim) {
        if (claim == Claim.RETRY) {
            dynamo.updateItem(b -> b.tableName(table).key(key(pk(campaignId, addressHash)))
                    .updateExpression("REMOVE attemptAt")
                    .conditionExpression("attribute_exists(#failed) AND attribute_not_exists(messageId)")
                    .expressionAttributeNames(Map.of("#failed", "failed")));
            return;
        }
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
