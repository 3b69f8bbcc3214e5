package shop.campaigns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
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
    private static DynamoDbClient dynamo;
    private static String table;
    private static DynamoSubscribers subscribers;
    private String hash;

    @BeforeAll
    static void connect(LocalAws aws) {
        table = aws.physicalName("SubscribersTable");
        dynamo = aws.dynamo(operation -> {
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
    void aLinkIsListedOnTheSubscriberAndWrittenTogether() {
        Optional<EmailAddress> to = issue("t1" + hash);
        assertEquals("reader-" + hash.substring(0, 8) + "@example.com", to.orElseThrow().value());
        assertEquals(List.of("t1" + hash), subscriber().get("tokenHashes").ss());
        assertEquals("UNSUBSCRIBE", token("t1" + hash).get("purpose").s());
        assertEquals(hash, token("t1" + hash).get("addressHash").s());
    }

    @Test
    void aStopAtTheWriteLeavesNeitherTheListingNorTheToken() {
        stopAtTheWrite = true;
        assertThrows(RuntimeException.class, () -> issue("t2" + hash));
        stopAtTheWrite = false;
        assertFalse(subscriber().containsKey("tokenHashes"), "no token listed that was never written: " + subscriber());
        assertTrue(token("t2" + hash).isEmpty(), "no token the subscriber does not list");
    }

    @Test
    void anErasedOrUnsubscribedAddressGetsNoLinkAndNoMail() {
        dynamo.deleteItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("SUBSCRIBER#" + hash))));
        assertTrue(issue("t3" + hash).isEmpty());
        assertTrue(token("t3" + hash).isEmpty());
        assertTrue(subscriber().isEmpty(), "the erased subscriber is not written back");
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
