package shop.privacy.stores;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import shop.core.dynamo.DynamoDeactivatedAddresses;
import shop.core.dynamo.DynamoItems;
import shop.core.dynamo.DynamoLinkTokens;
import shop.core.dynamo.DynamoTransactions;
import shop.core.mail.Suppression;
import shop.newsletter.DynamoSubscriberStore;
import shop.privacy.SubscriberRecords;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

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
    public Unsubscribed unsubscribe(String addressHash, Instant asOf, String reason) {
        Unsubscribed done = asOf(addressHash, asOf, reason);
        if (done != Unsubscribed.NEWER_SUBSCRIPTION_KEPT) {
            // The subscriber before its tokens: once it is gone no campaign can write another link for the
            // address (campaigns write a link in one transaction conditioned on the confirmed subscriber).
            // Not conditioned on the subscriber: a retry after a stop here still finds the tokens. Links
            // used by an earlier one-click unsubscribe are kept, as the newsletter keeps them.
            for (var token : tokens(addressHash)) {
                if (!DynamoSubscriberStore.keptUnsubscribeLink(token)) {
                    delete(token.get("pk").s());
                }
            }
        }
        return done;
    }

    /**
     * The suppression and the subscriber's delete as of {@code asOf}, the unsubscribe's and the
     * erasure's. The subscriber and the suppression entry are read, judged here (times compared as
     * instants: their fractions of a second differ in length, so their text does not sort), then
     * written in one transaction conditioned on both as read: a signup or a suppression written in
     * between (the newsletter shares these items) makes it judge again on what is there now.
     */
    private Unsubscribed asOf(String addressHash, Instant asOf, String reason) {
        for (int attempt = 0; attempt < 3; attempt++) {
            var subscriber = read("SUBSCRIBER#" + addressHash);
            // A pending signup past its TTL (not yet deleted by DynamoDB) is none: it goes as an older one would.
            boolean live = DynamoItems.live(subscriber, clock.instant()).isPresent();
            Optional<String> signedUp = signupRequestedAt(subscriber);
            if (live && signedUp.isPresent() && Instant.parse(signedUp.get()).isAfter(asOf)) {
                return Unsubscribed.NEWER_SUBSCRIPTION_KEPT;
            }
            var suppression = read("SUPPRESSION#" + addressHash);
            List<TransactWriteItem> writes = new ArrayList<>();
            Optional<String> since = Optional.ofNullable(suppression).map(item -> item.get("since")).map(AttributeValue::s);
            if (since.isEmpty() || Instant.parse(since.get()).isBefore(asOf)) {
                writes.add(suppressionAsOf(addressHash, since, asOf, reason));
            }
            writes.add(subscriberRemoved(addressHash, subscriber, signedUp));
            if (DynamoTransactions.write(dynamo, "privacy-unsubscribe", writes).isEmpty()) {
                return live ? Unsubscribed.REMOVED : Unsubscribed.NOT_SUBSCRIBED;
            }
        }
        // Three signups or suppressions of this address in the moment of each read: the step fails, for a retry.
        throw new IllegalStateException("The subscriber records changed while they were judged");
    }

    /** When the subscription was requested (the consent's {@code givenAt}); none on an item written without it. */
    private static Optional<String> signupRequestedAt(Map<String, AttributeValue> subscriber) {
        return Optional.ofNullable(subscriber).map(item -> item.get("consent")).filter(AttributeValue::hasM)
                .map(consent -> consent.m().get("givenAt")).map(AttributeValue::s);
    }

    /** The suppression at {@code asOf}, on the condition that it is still as read. */
    private TransactWriteItem suppressionAsOf(String addressHash, Optional<String> since, Instant asOf, String reason) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":at", s(asOf.toString()), ":reason", s(reason)));
        since.ifPresent(read -> values.put(":since", s(read)));
        return TransactWriteItem.builder().update(Update.builder().tableName(table).key(key("SUPPRESSION#" + addressHash))
                .updateExpression("SET since = :at, reason = :reason")
                .conditionExpression(since.isPresent() ? "since = :since" : "attribute_not_exists(since)")
                .expressionAttributeValues(values).build()).build();
    }

    /** The subscriber's delete, on the condition that it is still the signup judged (or still absent). */
    private TransactWriteItem subscriberRemoved(String addressHash, Map<String, AttributeValue> subscriber,
                                                Optional<String> signedUp) {
        var delete = Delete.builder().tableName(table).key(key("SUBSCRIBER#" + addressHash));
        if (subscriber == null) {
            delete.conditionExpression("attribute_not_exists(pk)");
        } else {
            delete.expressionAttributeNames(Map.of("#consent", "consent", "#givenAt", "givenAt"));
            if (signedUp.isPresent()) {
                delete.conditionExpression("#consent.#givenAt = :givenAt")
                        .expressionAttributeValues(Map.of(":givenAt", s(signedUp.get())));
            } else {
                delete.conditionExpression("attribute_exists(pk) AND attribute_not_exists(#consent.#givenAt)");
            }
        }
        return TransactWriteItem.builder().delete(delete.build()).build();
    }

    /**
     * As of {@code asOf}, as the unsubscribe: a subscription requested after it stays with its
     * tokens, and the suppression entry as it is; the deactivation goes either way.
     */
    @Override
    public Erased erase(String addressHash, Instant asOf) {
        Unsubscribed subscriber = asOf(addressHash, asOf, Suppression.ERASURE);
        boolean newerKept = subscriber == Unsubscribed.NEWER_SUBSCRIPTION_KEPT;
        int erased = subscriber == Unsubscribed.REMOVED ? 1 : 0;
        if (!newerKept) {
            // Every token naming the hash, the kept one-click unsubscribe links and those past their TTL
            // that DynamoDB has not deleted yet included.
            for (var token : linkTokens.byAddress(addressHash)) {
                if (delete(token.get("pk").s())) {
                    erased++;
                }
            }
        }
        if (delete(DynamoDeactivatedAddresses.KEY_PREFIX + addressHash)) {
            erased++;
        }
        return new Erased(erased, newerKept);
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

    /** The item as it is (consistent read, TTL not applied), or null when there is none. */
    private Map<String, AttributeValue> read(String pk) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(pk)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? null : item;
    }

    /** The item as it is, unless past its TTL. */
    private Optional<Map<String, AttributeValue>> get(String pk) {
        return DynamoItems.live(read(pk), clock.instant());
    }

    /** True when there was an item to delete. */
    private boolean delete(String pk) {
        var old = dynamo.deleteItem(b -> b.tableName(table).key(key(pk)).returnValues(ReturnValue.ALL_OLD)).attributes();
        return old != null && !old.isEmpty();
    }
}
