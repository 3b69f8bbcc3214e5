package shop.privacy.stores;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import shop.core.dynamo.DynamoDeactivatedAddresses;
import shop.core.dynamo.DynamoItems;
import shop.core.mail.Suppression;
import shop.privacy.SubscriberRecords;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The subscribers table (template.yaml's SubscribersTable) as the privacy function sees it:
 * {@code SUBSCRIBER#<hash>} (the only item with the address), {@code TOKEN#<sha256>} newsletter
 * link tokens that name the hash, {@code SUPPRESSION#<hash>} and {@code DEACTIVATED#<hash>}.
 * The layout is the newsletter's (its DynamoSubscriberStore); unsubscribing here has the same
 * effect as its one-click unsubscribe.
 */
public final class DynamoSubscriberRecords implements SubscriberRecords {
    /** template.yaml's sparse index of link tokens by the address hash they name. */
    static final String TOKENS_BY_ADDRESS = "TokensByAddress";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoSubscriberRecords(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public Map<String, Object> export(String addressHash) {
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("subscriber", get("SUBSCRIBER#" + addressHash).map(DynamoValues::item).orElse(null));
        export.put("linkTokens", DynamoValues.items(tokens(addressHash)));
        export.put("suppression", get("SUPPRESSION#" + addressHash).map(DynamoValues::item).orElse(null));
        export.put("deactivation", get(DynamoDeactivatedAddresses.KEY_PREFIX + addressHash).map(DynamoValues::item).orElse(null));
        return export;
    }

    @Override
    public boolean unsubscribe(String addressHash, Instant at, String reason) {
        // Suppression first: if we stop after it, no marketing mail goes out, and a retry finishes.
        // The latest suppression stands: only a signup requested after it may lift it (Suppression).
        dynamo.updateItem(b -> b.tableName(table).key(key("SUPPRESSION#" + addressHash))
                .updateExpression("SET since = :at, reason = :reason")
                .expressionAttributeValues(Map.of(":at", s(at.toString()), ":reason", s(reason))));
        var subscriber = dynamo.getItem(b -> b.tableName(table).key(key("SUBSCRIBER#" + addressHash))
                .consistentRead(true)).item();
        if (subscriber == null || subscriber.isEmpty()) {
            return false;
        }
        if (subscriber.containsKey("tokenHashes")) {
            for (String tokenHash : subscriber.get("tokenHashes").ss()) {
                delete("TOKEN#" + tokenHash);
            }
        }
        delete("SUBSCRIBER#" + addressHash);
        return !DynamoItems.expired(subscriber, at);
    }

    @Override
    public int erase(String addressHash, Instant at) {
        int erased = unsubscribe(addressHash, at, Suppression.ERASURE) ? 1 : 0;
        // Tokens whose subscriber is gone already (a kept one-click unsubscribe token) still name the hash.
        for (var token : tokens(addressHash)) {
            delete(token.get("pk").s());
            erased++;
        }
        if (delete(DynamoDeactivatedAddresses.KEY_PREFIX + addressHash)) {
            erased++;
        }
        return erased;
    }

    @Override
    public void deactivate(String addressHash, String requestId, Instant at) {
        dynamo.putItem(b -> b.tableName(table).item(Map.of(
                "pk", s(DynamoDeactivatedAddresses.KEY_PREFIX + addressHash),
                "since", s(at.toString()),
                "requestId", s(requestId))));
    }

    @Override
    public boolean reactivate(String addressHash) {
        return delete(DynamoDeactivatedAddresses.KEY_PREFIX + addressHash);
    }

    /**
     * Newsletter link tokens naming the hash: a Query on the sparse index TokensByAddress (only
     * token items carry {@code addressHash}), so its cost follows this address's tokens, never the
     * number of subscribers. An index read is eventually consistent; the gap is covered: a live
     * subscriber's tokens are listed on its item and {@link #unsubscribe} deletes them after a
     * consistent read, and a token left after its subscriber is gone (a kept one-click
     * unsubscribe link) was written at least one mail earlier, long indexed by the time anyone
     * asks. Once the subscriber is deleted nothing issues a new token for the hash (campaigns
     * need a confirmed subscriber, a fresh signup is a new, listed one); a campaign link issued
     * in the very moment of an erasure can still be written just after it, as with a Scan: hashes
     * only, gone with its one-year expiry.
     */
    private List<Map<String, AttributeValue>> tokens(String addressHash) {
        List<Map<String, AttributeValue>> tokens = new ArrayList<>();
        Instant now = clock.instant();
        var query = QueryRequest.builder().tableName(table).indexName(TOKENS_BY_ADDRESS)
                .keyConditionExpression("addressHash = :hash")
                .expressionAttributeValues(Map.of(":hash", s(addressHash))).build();
        for (var page : dynamo.queryPaginator(query)) {
            page.items().stream().filter(item -> !DynamoItems.expired(item, now)).forEach(tokens::add);
        }
        return tokens;
    }

    private Optional<Map<String, AttributeValue>> get(String pk) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(pk)).consistentRead(true)).item();
        return DynamoItems.live(item, clock.instant());
    }

    /** True when there was an item to delete. */
    private boolean delete(String pk) {
        var old = dynamo.deleteItem(b -> b.tableName(table).key(key(pk)).returnValues(ReturnValue.ALL_OLD)).attributes();
        return old != null && !old.isEmpty();
    }
}
