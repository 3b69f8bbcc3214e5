package shop.campaigns;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import shop.core.dynamo.DynamoItems;
import shop.core.dynamo.DynamoTransactions;
import shop.core.retention.RetentionSchedule;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Send records {@code SEND#<campaign id>#<address hash>} in the campaigns table: a conditional
 * update claims the recipient ({@code pass}: the pass that first claimed them; {@code attemptAt}:
 * an attempt is under way); {@code counted} is the pass in which they were counted as handled, set
 * with the outcome and before the campaign's counter. {@code failed} marks a recipient given up on
 * their message's last receive, whom that message or a later pass may claim again once
 * ({@code attemptAt} absent); {@code givenUp} one whose retry's sender stopped before SES answered.
 * A change to or from {@code failed} is one {@code TransactWriteItems} with the counters of the
 * campaign item {@code CAMPAIGN#<id>} (the same table).
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
            // One write for both: a new record, or a failed one (their message redriven, or a later
            // pass) that no one is trying now. The old item tells which.
            var old = dynamo.updateItem(b -> b.tableName(table).key(key(pk(campaignId, addressHash)))
                    .updateExpression("SET claimedAt = if_not_exists(claimedAt, :at), #pass = if_not_exists(#pass, :pass),"
                            + " #ttl = if_not_exists(#ttl, :ttl), attemptAt = :at")
                    .conditionExpression("attribute_not_exists(pk) OR (attribute_exists(#failed)"
                            + " AND attribute_not_exists(attemptAt))")
                    .expressionAttributeNames(Map.of("#pass", "pass", "#ttl", RetentionSchedule.TTL_ATTRIBUTE,
                            "#failed", "failed"))
                    .expressionAttributeValues(Map.of(":at", s(at.toString()), ":pass", n(pass),
                            ":ttl", n(RetentionSchedule.CAMPAIGN_SEND_RECORD.expiresAt(at))))
                    .returnValues(ReturnValue.ALL_OLD)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).attributes();
            return old == null || old.isEmpty() ? Claim.NEW : Claim.RETRY;
        } catch (ConditionalCheckFailedException alreadyTried) {
            // The record as it is (ReturnValuesOnConditionCheckFailure), without a read.
            Map<String, AttributeValue> record = alreadyTried.hasItem() ? alreadyTried.item() : Map.of();
            return record.containsKey("failed") && record.containsKey("attemptAt") ? Claim.RETRYING : Claim.TAKEN;
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
    public void failed(String campaignId, String addressHash, int pass, Claim claim, String why) {
        if (claim != Claim.NEW) {
            // Failed again: as it was, counted as it was.
            endRetry(campaignId, addressHash, why);
            return;
        }
        // The record and its counters together: a stop between them would leave a failed record that
        // no pass counts (the campaign never SENT) and a redrive taking one from failed that never had it.
        TransactWriteItem inPass = recordFailed(campaignId, addressHash, pass, why,
                " AND attribute_not_exists(counted)");
        TransactWriteItem counted = DynamoCampaignStore.handledWrite(campaignId, pass, "failed").transactional(table);
        if (DynamoTransactions.write(dynamo, "campaign.send_failed", List.of(inPass, counted)).isEmpty()) {
            return;
        }
        // The campaign has gone on to another pass, or a later pass counted them while they were
        // being sent: only failed is theirs to add.
        TransactWriteItem record = recordFailed(campaignId, addressHash, pass, why, "");
        TransactWriteItem failedOnly = DynamoCampaignStore.countWrite(campaignId, "failed", 1).transactional(table);
        List<Integer> refused = DynamoTransactions.write(dynamo, "campaign.send_failed_other_pass",
                List.of(record, failedOnly));
        if (!refused.isEmpty()) {
            throw new IllegalStateException("A failed recipient could not be recorded (refused: " + refused
                    + "): no record, a mail SES accepted, or no campaign");
        }
    }

    private TransactWriteItem recordFailed(String campaignId, String addressHash, int pass, String why,
                                           String condition) {
        return TransactWriteItem.builder().update(Update.builder().tableName(table).key(key(pk(campaignId, addressHash)))
                .updateExpression("SET #failed = :why, counted = if_not_exists(counted, :pass) REMOVE attemptAt")
                .conditionExpression("attribute_exists(pk) AND attribute_not_exists(messageId)" + condition)
                .expressionAttributeNames(Map.of("#failed", "failed"))
                .expressionAttributeValues(Map.of(":why", s(why), ":pass", n(pass))).build()).build();
    }

    @Override
    public void release(String campaignId, String addressHash, Claim claim) {
        if (claim == Claim.RETRY) {
            endRetry(campaignId, addressHash, null);
            return;
        }
        dynamo.deleteItem(b -> b.tableName(table).key(key(pk(campaignId, addressHash)))
                .conditionExpression("attribute_not_exists(messageId)"));
    }

    /**
     * A retry's attempt is over and the recipient failed as before, claimable again: {@code why} the
     * new failure ({@link #failed}), or null to keep the old one ({@link #release}).
     */
    private void endRetry(String campaignId, String addressHash, String why) {
        var update = UpdateItemRequest.builder().tableName(table).key(key(pk(campaignId, addressHash)))
                .updateExpression(why == null ? "REMOVE attemptAt" : "SET #failed = :why REMOVE attemptAt")
                .conditionExpression("attribute_exists(#failed) AND attribute_not_exists(messageId)")
                .expressionAttributeNames(Map.of("#failed", "failed"));
        dynamo.updateItem(why == null ? update.build() : update.expressionAttributeValues(Map.of(":why", s(why))).build());
    }

    @Override
    public Adopted adopt(String campaignId, String addressHash, int pass, Instant abandonedBefore) {
        Map<String, AttributeValue> old;
        try {
            // Records made before passes were kept (no pass) count as done. claimedAt is an ISO-8601
            // instant: compared as text it is off by at most a fraction of a second.
            old = dynamo.updateItem(b -> b.tableName(table).key(key(pk(campaignId, addressHash)))
                    .updateExpression("SET counted = :pass")
                    .conditionExpression("attribute_exists(pk) AND (counted < :pass OR (attribute_not_exists(counted)"
                            + " AND (attribute_not_exists(#pass) OR #pass < :pass OR claimedAt < :before)))")
                    .expressionAttributeNames(Map.of("#pass", "pass"))
                    .expressionAttributeValues(Map.of(":pass", n(pass), ":before", s(abandonedBefore.toString())))
                    .returnValues(ReturnValue.ALL_OLD)).attributes();
        } catch (ConditionalCheckFailedException countedOrInFlight) {
            return Adopted.NOTHING;
        }
        // Counted nowhere and no outcome: a claim whose sender stopped before SES answered.
        boolean noOutcome = !old.containsKey("counted") && List.of("messageId", "skipped", "failed", "givenUp")
                .stream().noneMatch(old::containsKey);
        boolean abandoned = DynamoItems.string(old, "claimedAt").map(at -> Instant.parse(at).isBefore(abandonedBefore))
                .orElse(false);
        return noOutcome && abandoned ? Adopted.GIVEN_UP : Adopted.COUNTED;
    }

    @Override
    public boolean giveUp(String campaignId, String addressHash, Instant abandonedBefore) {
        TransactWriteItem record = TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(key(pk(campaignId, addressHash)))
                .updateExpression("SET givenUp = attemptAt REMOVE #failed, attemptAt")
                .conditionExpression("attribute_exists(#failed) AND attemptAt < :before AND attribute_not_exists(messageId)")
                .expressionAttributeNames(Map.of("#failed", "failed"))
                .expressionAttributeValues(Map.of(":before", s(abandonedBefore.toString()))).build()).build();
        TransactWriteItem moved = DynamoCampaignStore.fromFailedWrite(campaignId, "givenUp").transactional(table);
        return DynamoTransactions.write(dynamo, "campaign.send_given_up", List.of(record, moved)).isEmpty();
    }
}
