package shop.campaigns;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import shop.core.email.EmailAddress;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The newsletter's subscribers table as campaigns use it: the audience through the sparse index
 * ConfirmedSubscribers (only confirmed subscriber items carry {@code audience}), unsubscribe
 * tokens in the newsletter's own shape (so its one-click unsubscribe serves campaign links), and
 * the per-campaign unsubscribe counts it keeps.
 */
final class DynamoSubscribers implements Audience, Recipients, UnsubscribeCounts {
    static final String INDEX = "ConfirmedSubscribers";
    private static final String AUDIENCE = "newsletter";

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

    @Override
    public Optional<EmailAddress> issueUnsubscribeLink(String addressHash, String campaignId, String tokenHash,
                                                       Instant expiresAt, Instant now) {
        Map<String, AttributeValue> subscriber;
        try {
            // Listed on the subscriber, so that unsubscribing deletes it with the others.
            subscriber = dynamo.updateItem(b -> b.tableName(table).key(key("SUBSCRIBER#" + addressHash))
                    .updateExpression("ADD tokenHashes :token")
                    .conditionExpression("#status = :confirmed")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":token", AttributeValue.fromSs(List.of(tokenHash)),
                            ":confirmed", s("CONFIRMED")))
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
        } catch (ConditionalCheckFailedException notSubscribed) {
            return Optional.empty();
        }
        Map<String, AttributeValue> token = new HashMap<>(key("TOKEN#" + tokenHash));
        token.put("purpose", s("UNSUBSCRIBE"));
        token.put("addressHash", s(addressHash));
        token.put("campaignId", s(campaignId));
        token.put("expiresAt", n(expiresAt.getEpochSecond()));
        dynamo.putItem(b -> b.tableName(table).item(token).conditionExpression("attribute_not_exists(pk)"));
        return Optional.of(new EmailAddress(subscriber.get("email").s()));
    }

    @Override
    public long of(String campaignId) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key("CAMPAIGN_UNSUBSCRIBES#" + campaignId))).item();
        return item == null || !item.containsKey("unsubscribed") ? 0 : Long.parseLong(item.get("unsubscribed").n());
    }
}
