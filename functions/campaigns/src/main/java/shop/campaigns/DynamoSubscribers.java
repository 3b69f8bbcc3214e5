package shop.campaigns;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import shop.core.dynamo.DynamoTransactions;
import shop.core.email.EmailAddress;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The newsletter's subscribers table as campaigns use it: the audience through the sparse index
 * ConfirmedSubscribers (only confirmed subscriber items carry {@code audience}), unsubscribe
 * tokens in the newsletter's own shape (so its one-click unsubscribe serves campaign links), and
 * the per-campaign unsubscribe counts it keeps.
 */
final class DynamoSubscribers implements Audience, Recipients, UnsubscribeCounts {
    static final String INDEX = "ConfirmedSubscribers";
    /** The list of token hashes subscriber items carried before the index TokensByAddress. */
    static final String OLD_TOKEN_LIST = "tokenHashes";
    private static final String AUDIENCE = "newsletter";
    private static final String SUBSCRIBER = "SUBSCRIBER#";

    private final DynamoDbClient dynamo;
    private final String table;

    DynamoSubscribers(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Page page(Optional<String> after, int limit) {
        var response = dynamo.query(b -> b.tableName(table).indexName(INDEX)
                .keyConditionExpression("audience = :audience")
                .expressionAttributeValues(Map.of(":audience", s(AUDIENCE)))
                .exclusiveStartKey(after.map(pk -> Map.of("pk", s(pk), "audience", s(AUDIENCE))).orElse(null))
                .limit(limit));
        List<String> hashes = response.items().stream()
                .map(item -> item.get("pk").s())
                .filter(pk -> pk.startsWith("SUBSCRIBER#"))
                .map(pk -> pk.substring("SUBSCRIBER#".length()))
                .toList();
        Optional<String> next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? Optional.of(response.lastEvaluatedKey().get("pk").s()) : Optional.empty();
        return new Page(hashes, next);
    }

    /**
     * Counted by DynamoDB, not read: Queries with {@code Select=COUNT} of the index's partition, each evaluating up to
     * 1 MB of index items (keys only, 95 bytes each), the next from the last one's {@code LastEvaluatedKey} until there
     * is none. No address hash leaves DynamoDB; a Scan would read every item of the table instead.
     */
    @Override
    public long count() {
        return count(AUDIENCE, null);
    }

    /** {@link #count()} with at most {@code pageLimit} items a Query: many pages from few subscribers, as tests need. */
    long count(int pageLimit) {
        return count(AUDIENCE, pageLimit);
    }

    /** Before the SnapStart snapshot: the same Query on a partition of the index no item has (it counts 0). */
    void prime() {
        count("priming-never-written", null);
    }

    private long count(String audience, Integer pageLimit) {
        long counted = 0;
        Map<String, AttributeValue> from = null;
        do {
            Map<String, AttributeValue> start = from;
            var response = dynamo.query(b -> b.tableName(table).indexName(INDEX).select(Select.COUNT)
                    .keyConditionExpression("audience = :audience AND begins_with(pk, :subscriber)")
                    .expressionAttributeValues(Map.of(":audience", s(audience), ":subscriber", s(SUBSCRIBER)))
                    .exclusiveStartKey(start).limit(pageLimit));
            counted += response.count();
            from = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey() : null;
        } while (from != null);
        return counted;
    }

    @Override
    public Optional<EmailAddress> issueUnsubscribeLink(String addressHash, String campaignId, String tokenHash,
                                                       Instant expiresAt, Instant now) {
        Map<String, AttributeValue> subscriber = dynamo.getItem(b -> b.tableName(table)
                .key(key("SUBSCRIBER#" + addressHash)).consistentRead(true)).item();
        if (subscriber == null || !subscriber.containsKey("email")
                || !"CONFIRMED".equals(subscriber.getOrDefault("status", s("")).s())) {
            return Optional.empty();
        }
        AttributeValue email = subscriber.get("email");
        Map<String, AttributeValue> token = new HashMap<>(key("TOKEN#" + tokenHash));
        token.put("purpose", s("UNSUBSCRIBE"));
        token.put("addressHash", s(addressHash));
        token.put("campaignId", s(campaignId));
        token.put("expiresAt", n(expiresAt.getEpochSecond()));
        // One transaction, conditioned on the subscriber as read: an unsubscribe or an erasure since
        // the read (both delete the subscriber before they look for its tokens) leaves no token
        // behind and sends no mail. The token names the address hash, so an unsubscribe or a privacy
        // request finds it through the index TokensByAddress: nothing is added to the subscriber,
        // which would grow with every mail. The update only drops the list of token hashes that
        // subscribers written before the index carried, so old items shrink at their next mail.
        List<Integer> refused = DynamoTransactions.write(dynamo, "campaign-link", List.of(
                TransactWriteItem.builder().update(u -> u.tableName(table).key(key("SUBSCRIBER#" + addressHash))
                        .updateExpression("REMOVE " + OLD_TOKEN_LIST)
                        .conditionExpression("#status = :confirmed AND email = :email")
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(Map.of(":confirmed", s("CONFIRMED"), ":email", email))).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(token)
                        .conditionExpression("attribute_not_exists(pk)")).build()));
        return refused.isEmpty() ? Optional.of(new EmailAddress(email.s())) : Optional.empty();
    }

    @Override
    public long of(String campaignId) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key("CAMPAIGN_UNSUBSCRIBES#" + campaignId))).item();
        return item == null || !item.containsKey("unsubscribed") ? 0 : Long.parseLong(item.get("unsubscribed").n());
    }
}
