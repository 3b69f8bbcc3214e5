package shop.newsletter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import shop.core.dynamo.DynamoItems;
import shop.core.email.EmailAddress;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.StoppingDynamo;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The store on the local stack's subscribers table: an address's link tokens are found through
 * the index TokensByAddress, and the subscriber item keeps no list of them.
 */
@ExtendWith(LocalAwsExtension.class)
class DynamoSubscriberStoreTest {
    private static final RequestOrigin ORIGIN = new RequestOrigin("203.0.113.0/24", "test-browser/1.0", List.of());
    /** Every DynamoDB operation the store sends. */
    private static final List<String> operations = new CopyOnWriteArrayList<>();
    private static LocalAws aws;
    private static String table;
    private static DynamoSubscriberStore store;
    private String hash;
    private Instant now;

    @BeforeAll
    static void connect(LocalAws localAws) {
        aws = localAws;
        table = aws.physicalName("SubscribersTable");
        DynamoDbClient recording = aws.dynamo(operations::add);
        store = new DynamoSubscriberStore(recording, table, Clock.systemUTC());
        stopping = new StoppingDynamo(aws);
        stoppable = new DynamoSubscriberStore(stopping.client(), table, Clock.systemUTC());
    }

    @BeforeEach
    void address() {
        hash = UUID.randomUUID().toString().replace("-", "");
        now = Instant.now();
        operations.clear();
    }

    @Test
    void oneClickThroughOneCampaignsLinkDeletesEveryOtherTokenOfTheAddressAndCountsThatCampaign() {
        confirmedSubscriber("c" + hash, "u" + hash);
        // Three campaign mails' links, written as functions/campaigns writes them.
        for (int i = 1; i <= 3; i++) {
            put(campaignToken("m" + i + hash, "campaign-" + i + hash));
        }
        // A link used by an unsubscribe before this subscription: it keeps answering.
        put(Map.of("pk", s("TOKEN#old" + hash), "purpose", s("UNSUBSCRIBE"), "addressHash", s(hash),
                "usedAt", s("2026-01-01T00:00:00Z"), "expiresAt", DynamoItems.n(now.plusSeconds(3600).getEpochSecond())));
        // Someone else's link: never touched.
        String other = hash + "other";
        put(Map.of("pk", s("TOKEN#x" + hash), "purpose", s("UNSUBSCRIBE"), "addressHash", s(other),
                "expiresAt", DynamoItems.n(now.plusSeconds(3600).getEpochSecond())));
        LinkToken clicked = store.findToken("m2" + hash).orElseThrow(); // as the service reads it
        operations.clear();

        store.unsubscribe(clicked, now);

        assertNull(item("SUBSCRIBER#" + hash), "the subscriber is gone");
        assertEquals("unsubscribe", item("SUPPRESSION#" + hash).get("reason").s());
        for (String gone : List.of("c", "u", "m1", "m3")) {
            assertNull(item("TOKEN#" + gone + hash), gone + ": every other token of the address is deleted");
        }
        Map<String, AttributeValue> used = item("TOKEN#m2" + hash);
        assertNotNull(used, "the link used is kept, so that clicking it again still answers");
        assertEquals(now.toString(), used.get("usedAt").s());
        assertNotNull(item("TOKEN#old" + hash), "a link used by an earlier unsubscribe still answers");
        assertNotNull(item("TOKEN#x" + hash), "another address's link stays");
        assertEquals("1", item("CAMPAIGN_UNSUBSCRIBES#campaign-2" + hash).get("unsubscribed").n());
        assertNull(item("CAMPAIGN_UNSUBSCRIBES#campaign-1" + hash), "only the campaign whose link was used counts it");
        assertTrue(operations.contains("Query"), operations.toString());
        assertFalse(operations.contains("Scan"), operations.toString());
        assertFalse(operations.contains("GetItem"), "no list read from the subscriber: " + operations);
        assertEquals(1, java.util.Collections.frequency(operations, "TransactWriteItems"), operations.toString());

        store.unsubscribe(store.findToken("m2" + hash).orElseThrow(), now.plusSeconds(5));
        assertEquals("1", item("CAMPAIGN_UNSUBSCRIBES#campaign-2" + hash).get("unsubscribed").n(),
                "a second click through the same link is not counted again");
        assertNotNull(store.findToken("m2" + hash).orElse(null), "the used link still answers");
    }

    /** Stops the code under test before its n-th DynamoDB call, as a function stopped there. */
    private static StoppingDynamo stopping;
    private static DynamoSubscriberStore stoppable;

    /**
     * An unsubscribe stopped before each of its DynamoDB calls in turn (the transaction, the
     * token Query, the deletes), then the link clicked again as the service
     * handles it (a used link changes nothing more): never suppressed with the subscriber still
     * in the audience, never a link used with the unsubscribe undone, and counted once.
     */
    @ParameterizedTest(name = "stopped before call {0}")
    @ValueSource(ints = {1, 2, 3, 4})
    void anUnsubscribeStoppedAnywhereLeavesAllOrNothingAndTheLinkFinishesIt(int stopBefore) {
        confirmedSubscriber("c" + hash, "u" + hash);
        put(campaignToken("m1" + hash, "campaign-1" + hash));
        put(campaignToken("m2" + hash, "campaign-2" + hash));

        LinkToken link = store.findToken("m1" + hash).orElseThrow();
        stopping.stoppedBefore(stopBefore, () -> stoppable.unsubscribe(link, now));
        boolean done = item("SUPPRESSION#" + hash) != null;
        assertEquals(done, item("SUBSCRIBER#" + hash) == null, "suppressed exactly when the subscriber is gone");
        assertEquals(done, item("TOKEN#m1" + hash).containsKey("usedAt"), "the link used exactly when it took effect");
        assertEquals(done, item("CAMPAIGN_UNSUBSCRIBES#campaign-1" + hash) != null, "counted exactly when it took effect");

        LinkToken clickedAgain = store.findToken("m1" + hash).orElseThrow();
        if (!clickedAgain.used()) {
            store.unsubscribe(clickedAgain, now.plusSeconds(1));
        }

        assertNull(item("SUBSCRIBER#" + hash));
        assertEquals("unsubscribe", item("SUPPRESSION#" + hash).get("reason").s());
        assertEquals("1", item("CAMPAIGN_UNSUBSCRIBES#campaign-1" + hash).get("unsubscribed").n());
    }

    @Test
    void aConfirmMeetingASuppressionRecordedSinceItWasJudgedWritesNothing() {
        Subscriber subscriber = store.find(pendingItem().get("pk").s().substring("SUBSCRIBER#".length())).orElseThrow();
        // Judged with no suppression; then a complaint is recorded before the confirm is written.
        put(Map.of("pk", s("SUPPRESSION#" + hash), "reason", s("complaint"), "since", s(now.toString())));

        assertEquals(SubscriberStore.Confirmation.SUPPRESSED_MEANWHILE,
                store.confirm(hash, subscriber.consent().confirmed(now, ORIGIN), Optional.empty()));

        assertEquals("PENDING", item("SUBSCRIBER#" + hash).get("status").s(), "not confirmed while suppressed");
        assertEquals("complaint", item("SUPPRESSION#" + hash).get("reason").s());
        var judged = store.suppression(hash);
        assertEquals(SubscriberStore.Confirmation.CONFIRMED,
                store.confirm(hash, subscriber.consent().confirmed(now, ORIGIN), judged), "judged again, it lifts");
        assertNull(item("SUPPRESSION#" + hash));
    }

    @Test
    void aRepeatedSignupAddsTokensButNothingToTheSubscriber() {
        assertTrue(store.savePending(pending(), now.plusSeconds(3600), token("c1" + hash, LinkToken.Purpose.CONFIRM),
                token("u1" + hash, LinkToken.Purpose.UNSUBSCRIBE)));
        Map<String, AttributeValue> first = item("SUBSCRIBER#" + hash);

        assertTrue(store.savePending(pending(), now.plusSeconds(3600), token("c2" + hash, LinkToken.Purpose.CONFIRM),
                token("u2" + hash, LinkToken.Purpose.UNSUBSCRIBE)));

        assertEquals(first, item("SUBSCRIBER#" + hash), "the same subscriber item, however many signups");
        assertFalse(first.containsKey(DynamoSubscriberStore.OLD_TOKEN_LIST), first.toString());
        for (String token : List.of("c1", "u1", "c2", "u2")) {
            assertEquals(hash, item("TOKEN#" + token + hash).get("addressHash").s(), token);
        }
    }

    @Test
    void anItemWrittenWithTheOldTokenListLosesItOnItsNextWrite() {
        // A pending signup as stores before the index wrote it: the token hashes listed on the item.
        put(oldStyle(pendingItem()));
        assertTrue(store.savePending(pending(), now.plusSeconds(3600), token("c" + hash, LinkToken.Purpose.CONFIRM)));
        assertFalse(item("SUBSCRIBER#" + hash).containsKey(DynamoSubscriberStore.OLD_TOKEN_LIST),
                "a refreshed signup drops the list: " + item("SUBSCRIBER#" + hash));

        put(oldStyle(item("SUBSCRIBER#" + hash)));
        Subscriber subscriber = store.find(hash).orElseThrow();
        assertEquals(SubscriberStore.Confirmation.CONFIRMED, store.confirm(hash, subscriber.consent().confirmed(now, ORIGIN), Optional.empty()));
        Map<String, AttributeValue> confirmed = item("SUBSCRIBER#" + hash);
        assertEquals("CONFIRMED", confirmed.get("status").s());
        assertFalse(confirmed.containsKey(DynamoSubscriberStore.OLD_TOKEN_LIST), "confirming drops it: " + confirmed);
    }

    private void confirmedSubscriber(String confirmTokenHash, String unsubscribeTokenHash) {
        assertTrue(store.savePending(pending(), now.plusSeconds(3600), token(confirmTokenHash, LinkToken.Purpose.CONFIRM),
                token(unsubscribeTokenHash, LinkToken.Purpose.UNSUBSCRIBE)));
        Subscriber subscriber = store.find(hash).orElseThrow();
        assertEquals(SubscriberStore.Confirmation.CONFIRMED, store.confirm(hash, subscriber.consent().confirmed(now, ORIGIN), Optional.empty()));
        store.markUsed(confirmTokenHash, now);
    }

    private Subscriber pending() {
        return new Subscriber(hash, new EmailAddress("reader-" + hash.substring(0, 8) + "@example.com"),
                Subscriber.Status.PENDING, ConsentProof.given(now, "2016-07-01", "footer", ORIGIN));
    }

    private Map<String, AttributeValue> pendingItem() {
        store.savePending(pending(), now.plusSeconds(3600));
        return item("SUBSCRIBER#" + hash);
    }

    private static Map<String, AttributeValue> oldStyle(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> old = new HashMap<>(item);
        old.put(DynamoSubscriberStore.OLD_TOKEN_LIST, AttributeValue.fromSs(List.of("a1", "a2", "a3")));
        return old;
    }

    private LinkToken token(String tokenHash, LinkToken.Purpose purpose) {
        return new LinkToken(tokenHash, purpose, hash, now.plusSeconds(3600), null, now);
    }

    private Map<String, AttributeValue> campaignToken(String tokenHash, String campaignId) {
        return Map.of("pk", s("TOKEN#" + tokenHash), "purpose", s("UNSUBSCRIBE"), "addressHash", s(hash),
                "campaignId", s(campaignId), "expiresAt", DynamoItems.n(now.plusSeconds(3600).getEpochSecond()));
    }

    private static AttributeValue s(String value) {
        return DynamoItems.s(value);
    }

    private static void put(Map<String, AttributeValue> item) {
        aws.dynamo().putItem(b -> b.tableName(table).item(item));
    }

    private static Map<String, AttributeValue> item(String pk) {
        var item = aws.dynamo().getItem(b -> b.tableName(table).key(DynamoItems.key(pk)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? null : item;
    }
}
