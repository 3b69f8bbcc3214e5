package shop.campaigns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.core.email.EmailAddress;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The campaign's unsubscribe link on the subscribers table of the local stack. */
@ExtendWith(LocalAwsExtension.class)
class DynamoSubscribersTest {
    /** A stop at the first write of a link: the process ends there, as a Lambda timeout would end it. */
    private static volatile boolean stopAtTheWrite;
    /** The Queries the client sent. */
    private static final java.util.concurrent.atomic.AtomicInteger QUERIES = new java.util.concurrent.atomic.AtomicInteger();
    private static DynamoDbClient dynamo;
    private static String table;
    private static DynamoSubscribers subscribers;
    private String hash;

    @BeforeAll
    static void connect(LocalAws aws) {
        table = aws.physicalName("SubscribersTable");
        dynamo = aws.dynamo(operation -> {
            if (operation.equals("Query")) {
                QUERIES.incrementAndGet();
            }
            if (stopAtTheWrite && Set.of("PutItem", "TransactWriteItems").contains(operation)) {
                throw new IllegalStateException("stopped before " + operation);
            }
        });
        subscribers = new DynamoSubscribers(dynamo, table);
    }

    @BeforeEach
    void confirmedSubscriber() {
        stopAtTheWrite = false;
        hash = UUID.randomUUID().toString().replace("-", "");
        dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("SUBSCRIBER#" + hash),
                "email", AttributeValue.fromS("reader-" + hash.substring(0, 8) + "@example.com"),
                "status", AttributeValue.fromS("CONFIRMED"))));
    }

    @Test
    void everyMailsLinkIsWrittenAndTheSubscriberDoesNotGrow() {
        Map<String, AttributeValue> before = subscriber();
        for (int i = 1; i <= 5; i++) {
            Optional<EmailAddress> to = subscribers.issueUnsubscribeLink(hash, "campaign-" + i, "t" + i + hash,
                    Instant.now().plusSeconds(3600), Instant.now());
            assertEquals("reader-" + hash.substring(0, 8) + "@example.com", to.orElseThrow().value());
            assertEquals(before, subscriber(), "the subscriber item after " + i + " mails");
        }
        for (int i = 1; i <= 5; i++) {
            Map<String, AttributeValue> token = token("t" + i + hash);
            assertEquals("UNSUBSCRIBE", token.get("purpose").s());
            assertEquals(hash, token.get("addressHash").s(), "found by the address through TokensByAddress");
            assertEquals("campaign-" + i, token.get("campaignId").s());
        }
    }

    @Test
    void aSubscriberWrittenWithTheOldListOfTokenHashesLosesItAtItsNextMail() {
        Map<String, AttributeValue> before = subscriber();
        Map<String, AttributeValue> old = new HashMap<>(before);
        old.put(DynamoSubscribers.OLD_TOKEN_LIST, AttributeValue.fromSs(List.of("a" + hash, "b" + hash, "c" + hash)));
        dynamo.putItem(b -> b.tableName(table).item(old));

        assertTrue(issue("t1" + hash).isPresent());

        assertEquals(before, subscriber(), "the list is gone, nothing else changed");
        assertEquals(hash, token("t1" + hash).get("addressHash").s());
    }

    @Test
    void aStopAtTheWriteLeavesNoToken() {
        stopAtTheWrite = true;
        assertThrows(RuntimeException.class, () -> issue("t2" + hash));
        stopAtTheWrite = false;
        assertTrue(token("t2" + hash).isEmpty(), "no token for a mail never sent");
    }

    @Test
    void anErasedOrUnsubscribedAddressGetsNoLinkAndNoMail() {
        dynamo.deleteItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("SUBSCRIBER#" + hash))));
        assertTrue(issue("t3" + hash).isEmpty());
        assertTrue(token("t3" + hash).isEmpty());
        assertTrue(subscriber().isEmpty(), "the erased subscriber is not written back");
    }

    /**
     * Only confirmed subscribers are in the sparse index, and the count pages through it: a pending signup (no audience
     * yet), an unsubscribed address (its suppression, the subscriber gone) and a confirmed subscriber written before the
     * index (this class's own, without audience: the backfill adds it) are not counted.
     */
    @Test
    void theAudienceCountsConfirmedSubscribersOnlyPageByPage() {
        long before = subscribers.count();
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        for (int i = 0; i < 5; i++) {
            put(Map.of("pk", AttributeValue.fromS("SUBSCRIBER#count" + i + run), "email",
                    AttributeValue.fromS("count" + i + "-" + run + "@example.com"), "status", AttributeValue.fromS("CONFIRMED"),
                    "audience", AttributeValue.fromS("newsletter")));
        }
        put(Map.of("pk", AttributeValue.fromS("SUBSCRIBER#pending" + run), "email",
                AttributeValue.fromS("pending-" + run + "@example.com"), "status", AttributeValue.fromS("PENDING")));
        put(Map.of("pk", AttributeValue.fromS("SUPPRESSION#gone" + run), "reason", AttributeValue.fromS("unsubscribe"),
                "since", AttributeValue.fromS("2026-12-01T10:00:00Z")));

        assertEquals(before + 5, subscribers.count(), "the five confirmed only");

        QUERIES.set(0);
        assertEquals(before + 5, subscribers.count(2), "the same count, two index items a Query");
        assertTrue(QUERIES.get() >= 3, "paged through LastEvaluatedKey: " + QUERIES.get() + " Queries for " + (before + 5));
        QUERIES.set(0);
        subscribers.prime();
        assertEquals(1, QUERIES.get(), "priming: one Query that counts nothing");
    }

    private static void put(Map<String, AttributeValue> item) {
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    private Optional<EmailAddress> issue(String tokenHash) {
        return subscribers.issueUnsubscribeLink(hash, "campaign-1", tokenHash,
                Instant.now().plusSeconds(3600), Instant.now());
    }

    private Map<String, AttributeValue> subscriber() {
        return dynamo.getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("SUBSCRIBER#" + hash)))
                .consistentRead(true)).item();
    }

    private Map<String, AttributeValue> token(String tokenHash) {
        return dynamo.getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("TOKEN#" + tokenHash)))
                .consistentRead(true)).item();
    }
}
