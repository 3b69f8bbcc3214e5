package shop.newsletter;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;
import static shop.core.dynamo.DynamoItems.string;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import shop.core.dynamo.DynamoItems;
import shop.core.dynamo.DynamoLinkTokens;
import shop.core.dynamo.DynamoTransactions;
import shop.core.email.EmailAddress;
import shop.core.mail.Suppression;
import shop.core.retention.RetentionSchedule;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The subscribers table (template.yaml's SubscribersTable), one item per key:
 * {@code SUBSCRIBER#<address hash>}, {@code TOKEN#<token hash>}, {@code SUPPRESSION#<address hash>}
 * and the rate-limit counters. Only the subscriber item holds the address itself.
 */
public final class DynamoSubscriberStore implements SubscriberStore {
    private static final String TTL = RetentionSchedule.TTL_ATTRIBUTE;
    /**
     * The sparse index of confirmed subscribers (template.yaml's ConfirmedSubscribers): only a
     * confirmed subscriber item has this attribute, so a campaign's audience is a Query.
     */
    static final String AUDIENCE = "audience";
    static final String NEWSLETTER_AUDIENCE = "newsletter";

    /**
     * The set of token hashes that subscriber items written before the index TokensByAddress carried;
     * removed when such an item is next written, so old items shrink without a backfill.
     */
    static final String OLD_TOKEN_LIST = "tokenHashes";

    private final DynamoDbClient dynamo;
    private final String table;
    private final DynamoLinkTokens linkTokens;
    private final Clock clock;

    public DynamoSubscriberStore(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.linkTokens = new DynamoLinkTokens(dynamo, table);
        this.clock = clock;
    }

    @Override
    public Optional<Subscriber> find(String addressHash) {
        return get("SUBSCRIBER#" + addressHash).map(item -> new Subscriber(
                addressHash,
                new EmailAddress(item.get("email").s()),
                Subscriber.Status.valueOf(item.get("status").s()),
                consentFrom(item.get("consent").m())));
    }

    @Override
    public boolean savePending(Subscriber pending, Instant expiresAt, LinkToken... tokens) {
        // Tokens first: a crash after them leaves only unusable hashes that expire on their own.
        for (LinkToken token : tokens) {
            Map<String, AttributeValue> item = new HashMap<>(key("TOKEN#" + token.tokenHash()));
            item.put("purpose", s(token.purpose().name()));
            item.put("addressHash", s(token.addressHash()));
            item.put(TTL, n(token.expiresAt().getEpochSecond()));
            if (token.requestedAt() != null) {
                item.put("requestedAt", s(token.requestedAt().toString()));
            }
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(pk)").build());
        }
        try {
            dynamo.updateItem(UpdateItemRequest.builder()
                    .tableName(table)
                    .key(key("SUBSCRIBER#" + pending.addressHash()))
                    // The tokens are found by the address through the index TokensByAddress; REMOVE drops
                    // the list that items written before that kept (it grew with every mail).
                    .updateExpression("SET email = :email, #status = :pending, consent = :consent, #ttl = :ttl"
                            + " REMOVE " + OLD_TOKEN_LIST)
                    .conditionExpression("attribute_not_exists(pk) OR #status = :pending")
                    .expressionAttributeNames(Map.of("#status", "status", "#ttl", TTL))
                    .expressionAttributeValues(Map.of(
                            ":email", s(pending.email().value()),
                            ":pending", s(Subscriber.Status.PENDING.name()),
                            ":consent", AttributeValue.fromM(consentItem(pending.consent())),
                            ":ttl", n(expiresAt.getEpochSecond())))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException alreadyConfirmed) {
            return false;
        }
    }

    @Override
    public Optional<LinkToken> findToken(String tokenHash) {
        return get("TOKEN#" + tokenHash).map(item -> new LinkToken(
                tokenHash,
                LinkToken.Purpose.valueOf(item.get("purpose").s()),
                item.get("addressHash").s(),
                Instant.ofEpochSecond(Long.parseLong(item.get(TTL).n())),
                string(item, "usedAt").map(Instant::parse).orElse(null),
                string(item, "requestedAt").map(Instant::parse).orElse(null),
                string(item, "campaignId").orElse(null)));
    }

    /**
     * One transaction: the subscriber pending → confirmed, and the suppression it was judged
     * against removed (or, when there was none, still absent). A stop leaves the signup as it was,
     * never confirmed while still suppressed; a suppression recorded meanwhile cancels it.
     */
    @Override
    public Confirmation confirm(String addressHash, ConsentProof consent, Optional<Suppression> lifted) {
        TransactWriteItem confirmSubscriber = TransactWriteItem.builder().update(Update.builder()
                .tableName(table)
                .key(key("SUBSCRIBER#" + addressHash))
                .updateExpression("SET #status = :confirmed, consent = :consent, #audience = :audience"
                        + " REMOVE #ttl, " + OLD_TOKEN_LIST)
                .conditionExpression("#status = :pending")
                .expressionAttributeNames(Map.of("#status", "status", "#ttl", TTL, "#audience", AUDIENCE))
                .expressionAttributeValues(Map.of(
                        ":audience", s(NEWSLETTER_AUDIENCE),
                        ":confirmed", s(Subscriber.Status.CONFIRMED.name()),
                        ":pending", s(Subscriber.Status.PENDING.name()),
                        ":consent", AttributeValue.fromM(consentItem(consent))))
                .build()).build();
        // A fresh, confirmed opt-in lifts the suppression it was judged against, and no newer one.
        var suppression = key("SUPPRESSION#" + addressHash);
        TransactWriteItem suppressionAsJudged = lifted
                .map(judged -> TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(suppression)
                        .conditionExpression("attribute_not_exists(pk) OR since = :since")
                        .expressionAttributeValues(Map.of(":since", s(judged.since().toString()))).build()).build())
                .orElseGet(() -> TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table)
                        .key(suppression).conditionExpression("attribute_not_exists(pk)").build()).build());
        List<Integer> failed = DynamoTransactions.write(dynamo, "newsletter-confirm",
                List.of(confirmSubscriber, suppressionAsJudged));
        if (failed.contains(0)) {
            return Confirmation.NOT_PENDING;
        }
        return failed.isEmpty() ? Confirmation.CONFIRMED : Confirmation.SUPPRESSED_MEANWHILE;
    }

    @Override
    public void markUsed(String tokenHash, Instant at) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder()
                    .tableName(table)
                    .key(key("TOKEN#" + tokenHash))
                    .updateExpression("SET usedAt = if_not_exists(usedAt, :at)")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":at", s(at.toString())))
                    .build());
        } catch (ConditionalCheckFailedException gone) {
            // Expired and deleted meanwhile: nothing left to mark.
        }
    }

    /**
     * The suppression, the subscriber's removal, the link marked used and the unsubscribe counted
     * on the campaign whose link it was: one transaction, so a stop leaves all of it or none (a
     * retry of the link, still unused, then does it all). The address's other tokens are deleted
     * after it, each delete on its own: one left by a stop there only unsubscribes again.
     */
    @Override
    public void unsubscribe(LinkToken link, Instant at) {
        String addressHash = link.addressHash();
        String keepTokenHash = link.tokenHash();
        List<TransactWriteItem> writes = new ArrayList<>(unsubscribeWrites(addressHash, at));
        writes.add(firstUse(keepTokenHash, at));
        if (link.campaignId() != null) {
            writes.add(unsubscribeCounted(link.campaignId(), at));
        }
        if (!DynamoTransactions.write(dynamo, "newsletter-unsubscribe", writes).isEmpty()) {
            if (get("TOKEN#" + keepTokenHash).isPresent()) {
                return; // used meanwhile: another click of this link did all of it
            }
            // Expired and deleted since it was read: the unsubscribe still stands, without the link.
            DynamoTransactions.write(dynamo, "newsletter-unsubscribe", unsubscribeWrites(addressHash, at));
        }
        // The index is eventually consistent: a token written a moment ago (a campaign mail's link,
        // sent in the very second of this unsubscribe) may not be in it yet, and then stays. That is
        // acceptable: it holds hashes only (its own and the address's keyed hash, no address), expires
        // with its retention (a year at most), and its link does what any link does after an
        // unsubscribe: unsubscribes again, changing nothing but the suppression's time. An erasure,
        // later, finds it through the index. Making it impossible would need a list read consistently,
        // the very list that grew with every mail. The subscriber is gone already, so no campaign
        // writes another link for the address (campaigns write a link in one transaction conditioned
        // on the confirmed subscriber).
        Instant now = clock.instant();
        for (Map<String, AttributeValue> token : linkTokens.byAddress(addressHash)) {
            String pk = token.get("pk").s();
            if (!pk.equals("TOKEN#" + keepTokenHash) && !DynamoItems.expired(token, now) && !keptUnsubscribeLink(token)) {
                dynamo.deleteItem(DeleteItemRequest.builder().tableName(table).key(key(pk)).build());
            }
        }
    }

    /** The link marked used, if it is still there and unused (another click of it did everything otherwise). */
    private TransactWriteItem firstUse(String tokenHash, Instant at) {
        return TransactWriteItem.builder().update(Update.builder().tableName(table).key(key("TOKEN#" + tokenHash))
                .updateExpression("SET usedAt = :at")
                .conditionExpression("attribute_exists(pk) AND attribute_not_exists(usedAt)")
                .expressionAttributeValues(Map.of(":at", s(at.toString()))).build()).build();
    }

    /** One more unsubscribe through the campaign's mail, counted apart from the campaign item the senders write. */
    private TransactWriteItem unsubscribeCounted(String campaignId, Instant at) {
        return TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(key("CAMPAIGN_UNSUBSCRIBES#" + campaignId))
                .updateExpression("ADD unsubscribed :one SET #ttl = if_not_exists(#ttl, :ttl)")
                .expressionAttributeNames(Map.of("#ttl", TTL))
                .expressionAttributeValues(Map.of(":one", n(1), ":ttl", n(RetentionSchedule.CAMPAIGN.expiresAt(at))))
                .build()).build();
    }

    /** The suppression (reason unsubscribe, since {@code at}; the latest stands) and the subscriber's removal. */
    private List<TransactWriteItem> unsubscribeWrites(String addressHash, Instant at) {
        return List.of(
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(Map.of(
                        "pk", s("SUPPRESSION#" + addressHash),
                        "reason", s(Suppression.UNSUBSCRIBE),
                        "since", s(at.toString()))).build()).build(),
                TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                        .key(key("SUBSCRIBER#" + addressHash)).build()).build());
    }

    /**
     * An unsubscribe link used by an earlier unsubscribe (before a fresh signup): kept, as the one
     * used here is, so that repeating that one-click POST still answers until the link expires.
     */
    public static boolean keptUnsubscribeLink(Map<String, AttributeValue> token) {
        return LinkToken.Purpose.UNSUBSCRIBE.name().equals(string(token, "purpose").orElse(""))
                && token.containsKey("usedAt");
    }

    /**
     * A campaign mail's unsubscribe token names its campaign (functions/campaigns writes it): the
     * first unsubscribe through it adds one to the campaign's count, kept here beside the token.
     */
    @Override
    public Optional<Suppression> suppression(String addressHash) {
        // An entry written before reasons were recorded counts as an unsubscribe.
        return get("SUPPRESSION#" + addressHash).map(item -> new Suppression(
                string(item, "reason").orElse(Suppression.UNSUBSCRIBE), Instant.parse(item.get("since").s())));
    }

    private Optional<Map<String, AttributeValue>> get(String pk) {
        var item = dynamo.getItem(GetItemRequest.builder().tableName(table).key(key(pk)).consistentRead(true).build()).item();
        return DynamoItems.live(item, clock.instant());
    }

    private static Map<String, AttributeValue> consentItem(ConsentProof consent) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("givenAt", s(consent.givenAt().toString()));
        item.put("policyVersion", s(consent.policyVersion()));
        item.put("source", s(consent.source()));
        item.put("signupIpPrefix", s(consent.signupOrigin().ipPrefix()));
        item.put("signupUserAgent", s(consent.signupOrigin().userAgent()));
        putSignals(item, "signupOptOutSignals", consent.signupOrigin());
        item.put("ageConfirmed", AttributeValue.fromBool(consent.ageConfirmed()));
        if (consent.confirmedAt() != null) {
            item.put("confirmedAt", s(consent.confirmedAt().toString()));
            item.put("confirmIpPrefix", s(consent.confirmationOrigin().ipPrefix()));
            item.put("confirmUserAgent", s(consent.confirmationOrigin().userAgent()));
            putSignals(item, "confirmOptOutSignals", consent.confirmationOrigin());
        }
        return item;
    }

    /** Only when a signal was sent: its presence is the record of the opt-out. */
    private static void putSignals(Map<String, AttributeValue> item, String name, RequestOrigin origin) {
        if (!origin.optOutSignals().isEmpty()) {
            item.put(name, AttributeValue.fromL(origin.optOutSignals().stream().map(DynamoItems::s).toList()));
        }
    }

    private static List<String> signals(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || !value.hasL() ? List.of() : value.l().stream().map(AttributeValue::s).toList();
    }

    private static ConsentProof consentFrom(Map<String, AttributeValue> item) {
        Instant confirmedAt = string(item, "confirmedAt").map(Instant::parse).orElse(null);
        return new ConsentProof(
                Instant.parse(item.get("givenAt").s()),
                item.get("policyVersion").s(),
                item.get("source").s(),
                new RequestOrigin(item.get("signupIpPrefix").s(), item.get("signupUserAgent").s(),
                        signals(item, "signupOptOutSignals")),
                item.get("ageConfirmed").bool(),
                confirmedAt,
                confirmedAt == null ? null
                        : new RequestOrigin(item.get("confirmIpPrefix").s(), item.get("confirmUserAgent").s(),
                                signals(item, "confirmOptOutSignals")));
    }
}
