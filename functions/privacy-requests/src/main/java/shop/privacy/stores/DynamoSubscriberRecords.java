package shop.privacy.stores;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import shop.core.dynamo.DynamoDeactivatedAddresses;
import shop.core.dynamo.DynamoItems;
import shop.core.dynamo.DynamoLinkTokens;
import shop.core.mail.Suppression;
import shop.newsletter.DynamoSubscriberStore;
import shop.privacy.SubscriberRecords;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The subscribers table (template.yaml's SubscribersTable) as the privacy function sees it:
 * {@code SUBSCRIBER#<hash>} (the only item with the address), {@code TOKEN#<sha256>} newsletter
 * link tokens that name the hash, {@code SUPPRESSION#<hash>} and {@code DEACTIVATED#<hash>}.
 * The layout is the newsletter's (its DynamoSubscriberStore); unsubscribing here has the same
 * effect as its one-click unsubscribe.
 *
 * <p>An address's tokens are found through the index TokensByAddress ({@link DynamoLinkTokens}: a
 * Query, never a Scan), which is eventually consistent; {@link #unsubscribe} and {@link #erase}
 * read it just after deleting the subscriber. A campaign mail's link written in that very moment
 * (its transaction committed before the subscriber was deleted, so its mail goes out) may not be
 * in the index yet, and then stays. That is acceptable: it holds the token's hash, the address's
 * keyed hash and the campaign's id, which the campaign's send record and the suppression entry an
 * erasure keeps hold already, and no address; it expires within a year; its link only
 * unsubscribes again; and any later access or erasure request finds it. Once the subscriber is
 * gone nothing writes a token for the hash (a campaign needs the confirmed subscriber, a fresh
 * signup is a new subscription).
 */
public final class DynamoSubscriberRecords implements SubscriberRecords {
    private final DynamoDbClient dynamo;
    private final String table;
    private final DynamoLinkTokens linkTokens;
    private final Clock clock;

    public DynamoSubscriberRecords(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.linkTokens = new DynamoLinkTokens(dynamo, table);
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
        suppress(addressHash, at, reason);
        // The subscriber before its tokens: once it is gone no campaign can write another link for the
        // address (campaigns write a link in one transaction conditioned on the confirmed subscriber).
        var subscriber = deleteReturning("SUBSCRIBER#" + addressHash);
        // Not conditioned on the subscriber: a retry after a stop here still finds the tokens. Links
        // used by an earlier one-click unsubscribe are kept, as the newsletter keeps them.
        for (var token : tokens(addressHash)) {
            if (!DynamoSubscriberStore.keptUnsubscribeLink(token)) {
                delete(token.get("pk").s());
            }
        }
        return subscriber != null && !DynamoItems.expired(subscriber, at);
    }

    @Override
    public int erase(String addressHash, Instant at) {
        suppress(addressHash, at, Suppression.ERASURE);
        int erased = 0;
        if (deleteReturning("SUBSCRIBER#" + addressHash) != null) {
            erased++;
        }
        // Every token naming the hash, the kept one-click unsubscribe links and those past their TTL
        // that DynamoDB has not deleted yet included.
        for (var token : linkTokens.byAddress(addressHash)) {
            if (delete(token.get("pk").s())) {
                erased++;
            }
        }
        if (delete(DynamoDeactivatedAddresses.KEY_PREFIX + addressHash)) {
            erased++;
        }
        return erased;
    }

    /**
     * Suppression first: if we stop after it, no marketing mail goes out, and a retry finishes.
     * The latest suppression stands: only a signup requested after it may lift it (Suppression).
     */
    private void suppress(String addressHash, Instant at, String reason) {
        dynamo.updateItem(b -> b.tableName(table).key(key("SUPPRESSION#" + addressHash))
                .updateExpression("SET since = :at, reason = :reason")
                .expressionAttributeValues(Map.of(":at", s(at.toString()), ":reason", s(reason))));
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

    /** Newsletter link tokens naming the hash and still live. */
    private List<Map<String, AttributeValue>> tokens(String addressHash) {
        Instant now = clock.instant();
        return linkTokens.byAddress(addressHash).stream().filter(item -> !DynamoItems.expired(item, now)).toList();
    }

    /** The item deleted, or null when there was none. */
    private Map<String, AttributeValue> deleteReturning(String pk) {
        var old = dynamo.deleteItem(b -> b.tableName(table).key(key(pk)).returnValues(ReturnValue.ALL_OLD)).attributes();
        return old == null || old.isEmpty() ? null : old;
    }

    private Optional<Map<String, AttributeValue>> get(String pk) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(pk)).consistentRead(true)).item();
        return DynamoItems.live(item, clock.instant());
    }

    /** True when there was an item to delete. */
    private boolean delete(String pk) {
        return deleteReturning(pk) != null;
    }
}
