package shop.privacy.stores;

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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.core.dynamo.DynamoDeactivatedAddresses;
import shop.core.dynamo.DynamoItems;
import shop.core.dynamo.DynamoSuppressionList;
import shop.core.mail.Suppression;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.privacy.SubscriberRecords.Erased;
import shop.privacy.SubscriberRecords.Unsubscribed;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** The subscribers adapter on items in the newsletter's layout (see DynamoSubscriberStore there). */
@ExtendWith(LocalAwsExtension.class)
class DynamoSubscriberRecordsTest {
    /** Every DynamoDB operation the adapter sends, to prove the subscribers table is never scanned. */
    private static final List<String> operations = new CopyOnWriteArrayList<>();
    private static LocalAws aws;
    private static String table;
    private static DynamoSubscriberRecords records;
    private String hash;
    private String email;

    @BeforeAll
    static void connect(LocalAws localAws) {
        aws = localAws;
        table = aws.physicalName("SubscribersTable");
        DynamoDbClient recording = aws.dynamo(operations::add);
        records = new DynamoSubscriberRecords(recording, table, Clock.systemUTC());
    }

    @BeforeEach
    void subscriber() {
        hash = UUID.randomUUID().toString().replace("-", "");
        email = "sub-" + hash.substring(0, 8) + "@example.com";
        put(Map.of("pk", s("SUBSCRIBER#" + hash), "email", s(email), "status", s("CONFIRMED"),
                "consent", AttributeValue.fromM(Map.of("policyVersion", s("2016-07-01"), "source", s("footer")))));
        put(Map.of("pk", s("TOKEN#a" + hash), "purpose", s("CONFIRM"), "addressHash", s(hash)));
        put(Map.of("pk", s("TOKEN#b" + hash), "purpose", s("UNSUBSCRIBE"), "addressHash", s(hash)));
        // An unsubscribe token kept after an earlier unsubscribe (used): its link still answers.
        put(Map.of("pk", s("TOKEN#c" + hash), "purpose", s("UNSUBSCRIBE"), "addressHash", s(hash),
                "usedAt", s("2026-01-01T00:00:00Z")));
        operations.clear();
    }

    @Test
    void findsAndErasesTheAddresssTokensThroughTheIndexNeverAScan() {
        String other = UUID.randomUUID().toString().replace("-", "");
        // Other people's items, as many as a page of the index: none of them may be read or touched.
        for (int i = 0; i < 30; i++) {
            put(Map.of("pk", s("SUBSCRIBER#" + other + i), "email", s("x" + i + "@example.com"),
                    "status", s("CONFIRMED"), "audience", s("newsletter")));
            put(Map.of("pk", s("TOKEN#o" + i + other), "purpose", s("UNSUBSCRIBE"), "addressHash", s(other + i)));
        }
        // An expired token of this address, not yet deleted by TTL: not exported.
        put(Map.of("pk", s("TOKEN#d" + hash), "purpose", s("CONFIRM"), "addressHash", s(hash),
                "expiresAt", DynamoItems.n(Instant.now().minusSeconds(60).getEpochSecond())));
        operations.clear();

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tokens = (List<Map<String, Object>>) records.export(hash).get("linkTokens");
        assertEquals(Set.of("TOKEN#a" + hash, "TOKEN#b" + hash, "TOKEN#c" + hash),
                Set.copyOf(tokens.stream().map(token -> token.get("pk")).toList()));
        assertEquals("2026-01-01T00:00:00Z", tokens.stream().filter(token -> token.get("pk").equals("TOKEN#c" + hash))
                .findFirst().orElseThrow().get("usedAt"), "the whole token, not only its keys");

        assertEquals(new Erased(5, false), records.erase(hash, Instant.now()), "the subscriber and its four tokens");
        for (String token : List.of("a", "b", "c", "d")) {
            assertNull(get("TOKEN#" + token + hash), token + ", even past its TTL, is erased");
        }
        assertNotNull(get("TOKEN#o0" + other), "another address's token stays");
        assertTrue(operations.contains("Query"), operations.toString());
        assertFalse(operations.contains("Scan"), operations.toString());
    }

    @Test
    void exportHoldsTheSubscriberWithConsentAndEveryTokenNamingTheHash() {
        Map<String, Object> export = records.export(hash);

        @SuppressWarnings("unchecked")
        Map<String, Object> subscriber = (Map<String, Object>) export.get("subscriber");
        assertEquals(email, subscriber.get("email"));
        assertEquals(Map.of("policyVersion", "2016-07-01", "source", "footer"), subscriber.get("consent"));
        assertEquals(3, ((List<?>) export.get("linkTokens")).size());
        assertNull(export.get("suppression"));
    }

    @Test
    void unsubscribeIsTheNewslettersAndEraseLeavesOnlyTheSuppressionHash() {
        assertEquals(Unsubscribed.REMOVED, records.unsubscribe(hash, Instant.now(), Suppression.UNSUBSCRIBE));
        assertTrue(new DynamoSuppressionList(aws.dynamo(), table, Clock.systemUTC()).suppressed(hash));
        assertNull(get("SUBSCRIBER#" + hash));
        assertNull(get("TOKEN#a" + hash));
        assertNotNull(get("TOKEN#c" + hash));

        records.deactivate(hash, "req-1", Instant.now());
        assertEquals(new Erased(2, false), records.erase(hash, Instant.now()), "the kept token and the deactivation");

        List<String> left = aws.dynamo().scan(ScanRequest.builder().tableName(table).build()).items().stream()
                .filter(item -> item.toString().contains(hash)).map(item -> item.get("pk").s()).toList();
        assertEquals(List.of("SUPPRESSION#" + hash), left);
        assertFalse(aws.dynamo().scan(ScanRequest.builder().tableName(table).build()).items().toString().contains(email));
    }

    /**
     * A request tried again after the person subscribed again acts as of when it was verified: the
     * newer subscription (requested half a second later, whose time sorts before it as text) stays
     * with its tokens, and nothing is suppressed.
     */
    @Test
    void aSubscriptionRequestedAfterTheRequestWasVerifiedSurvivesWithItsTokens() {
        Instant verified = Instant.parse("2026-11-20T10:00:00Z");
        subscribedAt(verified.plusMillis(500));

        assertEquals(Unsubscribed.NEWER_SUBSCRIPTION_KEPT, records.unsubscribe(hash, verified, Suppression.UNSUBSCRIBE));

        assertEquals(email, get("SUBSCRIBER#" + hash).get("email").s());
        assertNotNull(get("TOKEN#a" + hash));
        assertNotNull(get("TOKEN#b" + hash));
        assertNull(get("SUPPRESSION#" + hash), "nothing suppressed: the person's latest wish is the newsletter");
    }

    /** A subscription requested before the request went as it always did; an older suppression moves to the request's time. */
    @Test
    void aSubscriptionRequestedBeforeTheRequestWasVerifiedIsDeletedWithItsTokens() {
        Instant verified = Instant.parse("2026-11-20T10:00:00.500Z");
        subscribedAt(Instant.parse("2026-11-20T10:00:00Z"));
        put(Map.of("pk", s("SUPPRESSION#" + hash), "reason", s(Suppression.ERASURE), "since", s("2025-01-01T00:00:00Z")));

        assertEquals(Unsubscribed.REMOVED, records.unsubscribe(hash, verified, Suppression.UNSUBSCRIBE));

        assertNull(get("SUBSCRIBER#" + hash));
        assertNull(get("TOKEN#a" + hash));
        assertNull(get("TOKEN#b" + hash));
        assertNotNull(get("TOKEN#c" + hash), "the used one-click link is kept, as ever");
        assertEquals(Map.of("reason", s(Suppression.UNSUBSCRIBE), "since", s(verified.toString())), suppression());
        assertEquals(Unsubscribed.NOT_SUBSCRIBED, records.unsubscribe(hash, verified, Suppression.UNSUBSCRIBE),
                "run again, nothing left");
    }

    /**
     * A suppression recorded after the request (a complaint, a later unsubscribe; half a second
     * later, whose time sorts before it as text) is not moved back to it.
     */
    @Test
    void aSuppressionNewerThanTheRequestIsNotOverwritten() {
        Instant verified = Instant.parse("2026-11-20T10:00:00Z");
        subscribedAt(Instant.parse("2026-11-19T10:00:00Z"));
        put(Map.of("pk", s("SUPPRESSION#" + hash), "reason", s("complaint"), "since", s("2026-11-20T10:00:00.500Z")));

        assertEquals(Unsubscribed.REMOVED, records.unsubscribe(hash, verified, Suppression.OPT_OUT));

        assertNull(get("SUBSCRIBER#" + hash));
        assertEquals(Map.of("reason", s("complaint"), "since", s("2026-11-20T10:00:00.500Z")), suppression());
    }

    /**
     * An erasure tried again after the person subscribed again judges as the unsubscribe does: the
     * newer subscription (requested half a second after the erasure was verified, whose time sorts
     * before it as text) stays with its tokens and nothing is suppressed, while the deactivation is
     * erased all the same. As of a moment after that signup, the erasure takes it with every token.
     */
    @Test
    void anErasureLeavesASubscriptionRequestedAfterItWasVerifiedAndErasesTheRest() {
        Instant verified = Instant.parse("2026-11-20T10:00:00Z");
        subscribedAt(verified.plusMillis(500));
        records.deactivate(hash, "req-1", verified);

        assertEquals(new Erased(1, true), records.erase(hash, verified), "only the deactivation");

        assertEquals(email, get("SUBSCRIBER#" + hash).get("email").s());
        for (String token : List.of("a", "b", "c")) {
            assertNotNull(get("TOKEN#" + token + hash), token);
        }
        assertNull(get("SUPPRESSION#" + hash), "nothing suppressed: the person's latest wish is the newsletter");
        assertNull(get(DynamoDeactivatedAddresses.KEY_PREFIX + hash));

        Instant later = verified.plusSeconds(1);
        assertEquals(new Erased(4, false), records.erase(hash, later), "the subscriber and its three tokens");

        List<String> left = aws.dynamo().scan(ScanRequest.builder().tableName(table).build()).items().stream()
                .filter(item -> item.toString().contains(hash)).map(item -> item.get("pk").s()).toList();
        assertEquals(List.of("SUPPRESSION#" + hash), left);
        assertEquals(Map.of("reason", s(Suppression.ERASURE), "since", s(later.toString())), suppression());
    }

    @Test
    void deactivationIsLiftedOnlyByReactivation() {
        records.deactivate(hash, "req-1", Instant.now());
        assertNotNull(records.export(hash).get("deactivation"));
        assertTrue(records.reactivate(hash));
        assertFalse(records.reactivate(hash));
        assertNull(records.export(hash).get("deactivation"));
    }

    /** The subscriber as the newsletter writes a confirmed signup requested at {@code at}. */
    private void subscribedAt(Instant at) {
        put(Map.of("pk", s("SUBSCRIBER#" + hash), "email", s(email), "status", s("CONFIRMED"), "audience", s("newsletter"),
                "consent", AttributeValue.fromM(Map.of("givenAt", s(at.toString()), "policyVersion", s("2016-07-01"),
                        "source", s("footer"), "confirmedAt", s(at.plusSeconds(60).toString())))));
    }

    private Map<String, AttributeValue> suppression() {
        var item = new HashMap<>(get("SUPPRESSION#" + hash));
        item.remove("pk");
        return item;
    }

    private static AttributeValue s(String value) {
        return DynamoItems.s(value);
    }

    private static void put(Map<String, AttributeValue> item) {
        aws.dynamo().putItem(b -> b.tableName(table).item(item));
    }

    private static Map<String, AttributeValue> get(String pk) {
        var item = aws.dynamo().getItem(b -> b.tableName(table).key(DynamoItems.key(pk))).item();
        return item == null || item.isEmpty() ? null : item;
    }
}
