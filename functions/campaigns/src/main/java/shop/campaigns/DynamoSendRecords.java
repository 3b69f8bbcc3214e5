package shop.campaigns;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

/**
 * Send records {@code SEND#<campaign id>#<address hash>} in the campaigns table: a conditional
 * update claims the recipient ({@code pass}: the pass that first claimed them; {@code attemptAt}:
 * an attempt is under way); {@code counted} is the pass in which they were counted as handled.
 * {@code failed} marks a recipient given up on their message's last receive, whom that message or a
 * later pass may claim again once ({@code attemptAt} absent); {@code givenUp} one whose sender
 * stopped before SES answered. Every write of an outcome, or of {@code counted}, is one
 * {@code TransactWriteItems} with the counters of the campaign item {@code CAMPAIGN#<id>} (the
 * same table): the claim and its release are the only writes of a record alone, and the campaign
 * counts nothing for a claim until its outcome.
 */
final class DynamoSendRecords implements SendRecords {
    /** What a record says once its attempt has ended (besides a claim given up by a later one). */
    private static final List<String> OUTCOMES = List.of("messageId", "skipped", "failed", "givenUp");
    private static final String NO_OUTCOME = "attribute_not_exists(messageId) AND attribute_not_exists(skipped)"
            + " AND attribute_not_exists(givenUp) AND attribute_not_exists(#failed)";
    /** A retry's record: failed until the retry's outcome, never sent. */
    private static final String RETRIED = "attribute_exists(#failed) AND attribute_not_exists(messageId)";

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
    public boolean sent(String campaignId, String addressHash, int pass, Claim claim, String messageId, Instant at) {
        return outcome("campaign.send_sent", campaignId, addressHash, pass, claim, "messageId = :id, sentAt = :at",
                Map.of(":id", s(messageId), ":at", s(at.toString())), "sent");
    }

    @Override
    public boolean skipped(String campaignId, String addressHash, int pass, Claim claim, String why) {
        return outcome("campaign.send_skipped", campaignId, addressHash, pass, claim, "skipped = :why",
                Map.of(":why", s(why)), "skipped");
    }

    /**
     * Sent or skipped: a new claim has no outcome yet and is one more of {@code recipients}; a retry's
     * record says failed until this write, which moves them out of {@code failed}.
     */
    private boolean outcome(String step, String campaignId, String addressHash, int pass, Claim claim, String set,
                            Map<String, AttributeValue> values, String counter) {
        boolean retry = claim == Claim.RETRY;
        return counted(step, campaignId, addressHash, pass, "SET " + set + ", %s REMOVE #failed, attemptAt",
                retry ? RETRIED : "attribute_exists(pk) AND " + NO_OUTCOME, values,
                retry ? Map.of(counter, 1L, "failed", -1L) : Map.of(counter, 1L, "recipients", 1L));
    }

    @Override
    public boolean failed(String campaignId, String addressHash, int pass, Claim claim, String why, Instant attemptAt) {
        if (claim == Claim.NEW) {
            return counted("campaign.send_failed", campaignId, addressHash, pass, "SET #failed = :why, %s REMOVE attemptAt",
                    "attribute_exists(pk) AND " + NO_OUTCOME, Map.of(":why", s(why)), Map.of("failed", 1L, "recipients", 1L));
        }
        // Failed again (a retry's attempt): as it was, counted as it was, unless an earlier pass counted them.
        // Only by the attempt that holds the record, which also makes each attempt's request its own
        // (DynamoDB answers a request repeated within ten minutes as it answered the first).
        return counted("campaign.send_failed_again", campaignId, addressHash, pass,
                "SET #failed = :why, %s REMOVE attemptAt", RETRIED + " AND attemptAt = :attempt",
                Map.of(":why", s(why), ":attempt", s(attemptAt.toString())), Map.of());
    }

    /**
     * The record's write ({@code update}, its {@code %s} where {@code counted} is set) and the
     * campaign's {@code counters} in one transaction, so that a stop leaves both or neither: counted
     * handled in {@code pass} when no pass has counted the record in it or a later one and the campaign
     * is on it (true), else the record and the counters alone (false). Throws when the record's
     * {@code condition} refuses: no record, or an outcome there already.
     */
    private boolean counted(String step, String campaignId, String addressHash, int pass, String update,
                            String condition, Map<String, AttributeValue> values, Map<String, Long> counters) {
        Map<String, AttributeValue> withPass = new HashMap<>(values);
        withPass.put(":pass", n(pass));
        TransactWriteItem inPass = record(campaignId, addressHash, update.formatted("counted = :pass"),
                condition + " AND (attribute_not_exists(counted) OR counted < :pass)", withPass);
        TransactWriteItem handled = DynamoCampaignStore.countersWrite(campaignId, counters, pass).transactional(table);
        if (DynamoTransactions.write(dynamo, step, List.of(inPass, handled)).isEmpty()) {
            return true;
        }
        // Counted in this pass or a later one already, or the campaign has gone on to another pass:
        // only the counters (a later pass counts the record as one of an earlier pass).
        TransactWriteItem record = record(campaignId, addressHash,
                update.formatted("counted = if_not_exists(counted, :pass)"), condition, withPass);
        List<Integer> refused;
        if (counters.isEmpty()) {
            refused = updated(record.update()) ? List.of() : List.of(0);
        } else {
            TransactWriteItem only = DynamoCampaignStore.countersWrite(campaignId, counters, 0).transactional(table);
            refused = DynamoTransactions.write(dynamo, step + "_other_pass", List.of(record, only));
        }
        if (!refused.isEmpty()) {
            throw new IllegalStateException("A send record's outcome could not be written (" + step + ", refused: "
                    + refused + "): no record, an outcome there already, or no campaign");
        }
        return false;
    }

    private TransactWriteItem record(String campaignId, String addressHash, String update, String condition,
                                     Map<String, AttributeValue> values) {
        var write = Update.builder().tableName(table).key(key(pk(campaignId, addressHash)))
                .updateExpression(update).conditionExpression(condition).expressionAttributeValues(values);
        if ((update + condition).contains("#failed")) {
            write.expressionAttributeNames(Map.of("#failed", "failed"));
        }
        return TransactWriteItem.builder().update(write.build()).build();
    }

    private boolean updated(Update update) {
        try {
            dynamo.updateItem(b -> b.tableName(update.tableName()).key(update.key())
                    .updateExpression(update.updateExpression()).conditionExpression(update.conditionExpression())
                    .expressionAttributeNames(update.hasExpressionAttributeNames() ? update.expressionAttributeNames() : null)
                    .expressionAttributeValues(update.expressionAttributeValues()));
            return true;
        } catch (ConditionalCheckFailedException refused) {
            return false;
        }
    }

    @Override
    public void release(String campaignId, String addressHash, Claim claim) {
        if (claim == Claim.RETRY) {
            dynamo.updateItem(b -> b.tableName(table).key(key(pk(campaignId, addressHash)))
                    .updateExpression("REMOVE attemptAt").conditionExpression(RETRIED)
                    .expressionAttributeNames(Map.of("#failed", "failed")));
            return;
        }
        // Only a claim without an outcome: one whose outcome was written (its answer lost) is counted already.
        dynamo.deleteItem(b -> b.tableName(table).key(key(pk(campaignId, addressHash)))
                .conditionExpression(NO_OUTCOME + " AND attribute_not_exists(counted)")
                .expressionAttributeNames(Map.of("#failed", "failed")));
    }

    @Override
    public Adopted adopt(String campaignId, String addressHash, int pass, Instant abandonedBefore) {
        // Read, decide, and write conditioned on the record as read: a refused write (another sender
        // counted it, or its outcome came meanwhile) reads again.
        for (int attempt = 0; attempt < 3; attempt++) {
            Map<String, AttributeValue> record = dynamo.getItem(b -> b.tableName(table)
                    .key(key(pk(campaignId, addressHash))).consistentRead(true)).item();
            if (record == null || record.isEmpty()) {
                return Adopted.GONE;
            }
            Optional<String> counted = number(record, "counted");
            Optional<String> claimedAt = DynamoItems.string(record, "claimedAt");
            boolean abandoned = claimedAt.map(at -> Instant.parse(at).isBefore(abandonedBefore)).orElse(false);
            // Counted nowhere and no outcome: a claim whose sender stopped before SES answered.
            boolean givenUp = abandoned && OUTCOMES.stream().noneMatch(record::containsKey);
            // Records made before passes were kept (no pass) count as done.
            boolean earlierPass = number(record, "pass").map(p -> Long.parseLong(p) < pass).orElse(true);
            boolean inPass = counted.map(c -> Long.parseLong(c) < pass).orElse(earlierPass || abandoned);
            if (!inPass && !givenUp) {
                return Adopted.NOTHING;
            }
            Map<String, AttributeValue> values = new HashMap<>();
            counted.ifPresent(c -> values.put(":counted", n(Long.parseLong(c))));
            String asRead = "attribute_exists(pk) AND "
                    + (counted.isPresent() ? "counted = :counted" : "attribute_not_exists(counted)");
            List<String> set = new ArrayList<>();
            if (inPass) {
                set.add("counted = :pass");
                values.put(":pass", n(pass));
            }
            if (givenUp) {
                set.add("givenUp = claimedAt");
                asRead += " AND claimedAt = :claimedAt AND " + NO_OUTCOME;
                values.put(":claimedAt", s(claimedAt.orElseThrow()));
            }
            TransactWriteItem write = record(campaignId, addressHash, "SET " + String.join(", ", set), asRead, values);
            Map<String, Long> counters = givenUp ? Map.of("givenUp", 1L, "recipients", 1L) : Map.of();
            List<Integer> refused = DynamoTransactions.write(dynamo, "campaign.send_adopted", List.of(write,
                    DynamoCampaignStore.countersWrite(campaignId, counters, inPass ? pass : 0).transactional(table)));
            if (refused.isEmpty()) {
                return givenUp ? Adopted.GIVEN_UP : Adopted.COUNTED;
            }
            if (refused.contains(0)) {
                continue;
            }
            // The campaign has gone on to another pass (this is an earlier pass's message): that pass
            // counts them; only a given-up one is counted now, in its counters.
            if (!givenUp) {
                return Adopted.NOTHING;
            }
            values.remove(":pass");
            write = record(campaignId, addressHash, "SET givenUp = claimedAt", asRead, values);
            if (DynamoTransactions.write(dynamo, "campaign.send_adopted_other_pass", List.of(write,
                    DynamoCampaignStore.countersWrite(campaignId, counters, 0).transactional(table))).isEmpty()) {
                return Adopted.GIVEN_UP;
            }
        }
        throw new IllegalStateException("A send record kept changing while it was counted");
    }

    private static Optional<String> number(Map<String, AttributeValue> item, String name) {
        return Optional.ofNullable(item.get(name)).map(AttributeValue::n);
    }

    @Override
    public boolean giveUp(String campaignId, String addressHash, Instant abandonedBefore) {
        TransactWriteItem record = TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(key(pk(campaignId, addressHash)))
                .updateExpression("SET givenUp = attemptAt REMOVE #failed, attemptAt")
                .conditionExpression("attribute_exists(#failed) AND attemptAt < :before AND attribute_not_exists(messageId)")
                .expressionAttributeNames(Map.of("#failed", "failed"))
                .expressionAttributeValues(Map.of(":before", s(abandonedBefore.toString()))).build()).build();
        TransactWriteItem moved = DynamoCampaignStore.countersWrite(campaignId,
                Map.of("givenUp", 1L, "failed", -1L), 0).transactional(table);
        return DynamoTransactions.write(dynamo, "campaign.send_given_up", List.of(record, moved)).isEmpty();
    }
}
