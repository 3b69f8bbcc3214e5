package shop.campaigns.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The suppression entry SES feedback writes, on the subscribers table of the local stack: the
 * latest suppression stands (shop.core.mail.Suppression), because a confirm lifts it only for a
 * signup requested after its {@code since}.
 */
@ExtendWith(LocalAwsExtension.class)
class DynamoMailFeedbackTest {
    private static final Instant UNSUBSCRIBED = Instant.parse("2026-12-01T10:00:00.123456Z");

    private static DynamoDbClient dynamo;
    private static String subscribers;
    private static DynamoMailFeedback feedback;

    @BeforeAll
    static void connect(LocalAws aws) {
        dynamo = aws.dynamo();
        subscribers = aws.physicalName("SubscribersTable");
        feedback = new DynamoMailFeedback(dynamo, aws.physicalName("CampaignsTable"), subscribers);
    }

    @Test
    void aComplaintAfterAnEarlierUnsubscribeMovesTheEntryToItsTimeAndReason() {
        String hash = unsubscribed();
        // A whole second later, written without a fraction: as a string it sorts before the earlier time.
        Instant complained = Instant.parse("2026-12-01T10:00:01Z");
        feedback.suppress(hash, "complaint", complained);
        assertEquals(Map.of("reason", "complaint", "since", complained.toString()), entry(hash));
    }

    @Test
    void anOlderOrRepeatedEventLeavesTheLaterEntryAsItIs() {
        String hash = unsubscribed();
        feedback.suppress(hash, "bounce", UNSUBSCRIBED.minusSeconds(3600));
        feedback.suppress(hash, "complaint", UNSUBSCRIBED);
        assertEquals(Map.of("reason", "unsubscribe", "since", UNSUBSCRIBED.toString()), entry(hash));
    }

    @Test
    void aFirstEventWritesTheEntryAndDeletesAPendingSubscriber() {
        String hash = UUID.randomUUID().toString().replace("-", "");
        dynamo.putItem(b -> b.tableName(subscribers).item(Map.of("pk", AttributeValue.fromS("SUBSCRIBER#" + hash),
                "status", AttributeValue.fromS("PENDING"))));
        Instant bounced = Instant.parse("2026-12-02T08:00:00Z");
        feedback.suppress(hash, "bounce", bounced);
        feedback.suppress(hash, "bounce", bounced);
        assertEquals(Map.of("reason", "bounce", "since", bounced.toString()), entry(hash));
        var subscriber = dynamo.getItem(b -> b.tableName(subscribers)
                .key(Map.of("pk", AttributeValue.fromS("SUBSCRIBER#" + hash))).consistentRead(true)).item();
        assertTrue(subscriber == null || subscriber.isEmpty(), "the pending subscriber is deleted");
    }

    private static String unsubscribed() {
        String hash = UUID.randomUUID().toString().replace("-", "");
        dynamo.putItem(b -> b.tableName(subscribers).item(Map.of("pk", AttributeValue.fromS("SUPPRESSION#" + hash),
                "reason", AttributeValue.fromS("unsubscribe"), "since", AttributeValue.fromS(UNSUBSCRIBED.toString()))));
        return hash;
    }

    private static Map<String, String> entry(String hash) {
        var item = dynamo.getItem(b -> b.tableName(subscribers).key(Map.of("pk", AttributeValue.fromS("SUPPRESSION#" + hash)))
                .consistentRead(true)).item();
        return Map.of("reason", item.get("reason").s(), "since", item.get("since").s());
    }
}
