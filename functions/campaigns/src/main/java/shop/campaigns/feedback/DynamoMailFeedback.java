package shop.campaigns.feedback;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import shop.core.dynamo.DynamoSendClaims;
import shop.core.dynamo.DynamoTransactions;
import shop.core.logging.Log;
import shop.core.mail.SendClaim;
import shop.core.retention.RetentionSchedule;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Feedback records {@code FEEDBACK#<message id>#<type>#<address hash>} and campaign counters in
 * the campaigns table (an order mail's permanent bounce: the record is the claim of the owner's
 * mail about it, CLAIMED then SENT); the suppression entry and the subscriber in the subscribers table, in the
 * shapes functions/newsletter reads ({@code SUPPRESSION#<hash>} with {@code since} and
 * {@code reason}; {@code SUBSCRIBER#<hash>}).
 */
public final class DynamoMailFeedback implements MailFeedback {
    private static final String NOT_SEEN = "attribute_not_exists(pk)";

    private final DynamoDbClient dynamo;
    private final String campaignsTable;
    private final String subscribersTable;
    private final DynamoSendClaims claims;

    public DynamoMailFeedback(DynamoDbClient dynamo, String campaignsTable, String subscribersTable) {
        this.dynamo = dynamo;
        this.campaignsTable = campaignsTable;
        this.subscribersTable = subscribersTable;
        this.claims = new DynamoSendClaims(dynamo, campaignsTable);
    }

    private static String pk(String messageId, String type, String addressHash) {
        return "FEEDBACK#" + messageId + "#" + type + "#" + addressHash;
    }

    private Map<String, AttributeValue> marker(String messageId, String type, String addressHash, Instant now) {
        return Map.of(
                "pk", s(pk(messageId, type, addressHash)),
                "at", s(now.toString()),
                RetentionSchedule.TTL_ATTRIBUTE, n(RetentionSchedule.MAIL_FEEDBACK_EVENT.expiresAt(now)));
    }

    @Override
    public boolean firstTime(String messageId, String type, String addressHash, Instant now) {
        try {
            dynamo.putItem(b -> b.tableName(campaignsTable).item(marker(messageId, type, addressHash, now))
                    .conditionExpression(NOT_SEEN));
            return true;
        } catch (ConditionalCheckFailedException seen) {
            return false;
        }
    }

    /**
     * The record and the count in one transaction, so that no stop between them leaves the event
     * seen but uncounted (a redelivery would then count nothing). When only the campaign's
     * condition failed (it is gone, past its retention), the record is put alone, conditionally
     * as in {@link #firstTime}: a stop before that put leaves nothing, and the redelivery does it.
     */
    @Override
    public boolean firstTimeCounted(String messageId, String type, String addressHash, Instant now, String campaignId,
                                    String counter) {
        var record = TransactWriteItem.builder().put(b -> b.tableName(campaignsTable)
                .item(marker(messageId, type, addressHash, now)).conditionExpression(NOT_SEEN)).build();
        var count = TransactWriteItem.builder().update(b -> b.tableName(campaignsTable)
                .key(key("CAMPAIGN#" + campaignId))
                .updateExpression("ADD #counter :one")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeNames(Map.of("#counter", counter))
                .expressionAttributeValues(Map.of(":one", n(1)))).build();
        List<Integer> failed = DynamoTransactions.write(dynamo, "ses-feedback", List.of(record, count));
        if (failed.isEmpty()) {
            return true;
        }
        if (failed.contains(0)) {
            return false;
        }
        // Past its retention: nothing left to count on; the event is still handled once.
        return firstTime(messageId, type, addressHash, now);
    }

    /** The event's record is the claim ({@link DynamoSendClaims}), kept as long as a record. */
    @Override
    public SendClaim claimOwnerMail(String messageId, String type, String addressHash, String token, Instant now,
                                    Instant staleBefore) {
        return claims.claim(pk(messageId, type, addressHash), token, now, staleBefore,
                RetentionSchedule.MAIL_FEEDBACK_EVENT.expiresAt(now), Map.of("at", s(now.toString())));
    }

    @Override
    public void ownerMailSent(String messageId, String type, String addressHash, String ownerMessageId, Instant at) {
        claims.markSent(pk(messageId, type, addressHash), ownerMessageId, at);
    }

    @Override
    public void suppress(String addressHash, String reason, Instant at) {
        var subscriber = dynamo.getItem(b -> b.tableName(subscribersTable).key(key("SUBSCRIBER#" + addressHash))
                .consistentRead(true)).item();
        Optional<Instant> confirmedAt = Optional.ofNullable(subscriber)
                .map(item -> item.get("consent")).filter(AttributeValue::hasM)
                .map(consent -> consent.m().get("confirmedAt")).map(AttributeValue::s).map(Instant::parse);
        if (confirmedAt.isPresent() && confirmedAt.get().isAfter(at)) {
            // The person confirmed a fresh signup after this bounce or complaint: it is about an old address state.
            return;
        }
        recordLatest(addressHash, reason, at);
        if (subscriber != null && !subscriber.isEmpty()) {
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":status", subscriber.get("status")));
            String condition = "#status = :status AND ";
            if (confirmedAt.isPresent()) {
                values.put(":confirmedAt", s(confirmedAt.get().toString()));
                condition += "consent.confirmedAt = :confirmedAt";
            } else {
                condition += "attribute_not_exists(consent.confirmedAt)";
            }
            String finalCondition = condition;
            try {
                dynamo.deleteItem(b -> b.tableName(subscribersTable).key(key("SUBSCRIBER#" + addressHash))
                        .conditionExpression(finalCondition)
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(values));
            } catch (ConditionalCheckFailedException changedMeanwhile) {
                // A signup or confirmation came in between: the newer state wins.
            }
        }
    }

    /**
     * The suppression entry at this event's time and reason unless it is as late already: the
     * latest suppression stands ({@code Suppression}), because only a signup requested after it
     * may lift it. Keeping an earlier unsubscribe's time instead would let the confirm link of the
     * very signup a complaint was about lift the complaint. A late or repeated event changes
     * nothing; the entry's write is conditional on the {@code since} read (times compared here,
     * not as strings: their fractions of a second differ in length).
     */
    private void recordLatest(String addressHash, String reason, Instant at) {
        Map<String, AttributeValue> key = key("SUPPRESSION#" + addressHash);
        for (int attempt = 0; attempt < 3; attempt++) {
            var current = dynamo.getItem(b -> b.tableName(subscribersTable).key(key).consistentRead(true)).item();
            Optional<String> since = Optional.ofNullable(current).map(item -> item.get("since")).map(AttributeValue::s);
            if (since.isPresent() && !Instant.parse(since.get()).isBefore(at)) {
                return;
            }
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":at", s(at.toString()), ":reason", s(reason)));
            since.ifPresent(read -> values.put(":since", s(read)));
            try {
                dynamo.updateItem(b -> b.tableName(subscribersTable).key(key)
                        .updateExpression("SET since = :at, reason = :reason")
                        .conditionExpression(since.isPresent() ? "since = :since" : "attribute_not_exists(pk)")
                        .expressionAttributeValues(values));
                return;
            } catch (ConditionalCheckFailedException changedMeanwhile) {
                // Another suppression was recorded between the read and the write: judged again on it.
            }
        }
        // Lost to other suppressions of this address three times: it stays suppressed; this event's time may be missing.
        Log.warn("suppression_time_not_recorded", Map.of("address", addressHash, "reason", reason));
    }
}
