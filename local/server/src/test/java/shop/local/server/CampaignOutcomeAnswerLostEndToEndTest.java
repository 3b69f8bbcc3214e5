package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.core.email.EmailAddress;
import shop.core.json.Json;
import shop.core.security.AddressHasher;
import shop.local.stack.FaultProxy;
import shop.local.stack.FaultProxy.Fault;
import shop.local.stack.LocalAdmins;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.LocalParameters;
import shop.local.stack.Service;

/**
 * A sender's write of a recipient's outcome (their send record and the campaign's counters, one
 * transaction) reaches DynamoDB, but its answer is lost, as when the network fails after the write:
 * the sender cannot tell whether it was written, so its message fails and SQS hands it out again.
 * The campaign still ends SENT on that receive, each recipient counted once (sent + skipped + failed
 * + givenUp = recipients, the owner's page says so) and mailed once. The campaign is dispatched to a
 * handful of subscribers as the dispatcher would leave it, and the sender is handed its message as
 * the event source hands it (the shared stand-in's queue and audience hold other tests' too).
 */
@ExtendWith(LocalAwsExtension.class)
class CampaignOutcomeAnswerLostEndToEndTest {
    private static final AddressHasher HASHER = new AddressHasher(LocalParameters.ADDRESS_HASH_KEY);

    @Test
    void anOutcomeWrittenWhoseAnswerIsLostEndsTheCampaignSentOnTheRedeliveryWithEachCountedAndMailedOnce(LocalAws aws)
            throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        List<String> readers = CampaignDeadLetterEndToEndTest.subscribers(aws, "lost-answer-reader", tag);
        List<String> hashes = readers.stream().map(r -> HASHER.hash(new EmailAddress(r))).toList();

        try (FaultProxy dynamo = FaultProxy.start(aws.endpoint(Service.DYNAMODB))) {
            LocalFunctions functions = new LocalFunctions(aws, aws.template(), Map.of("SesMaxSendRate", "400"),
                    Map.of("AWS_ENDPOINT_URL_DYNAMODB", dynamo.uri().toString()));
            try (LocalApiServer server = LocalApiServer.start(functions, 0)) {
                ShopClient shop = new ShopClient(aws, server.baseUri());
                String owner = aws.admins().signIn(LocalAdmins.OWNER.username()).accessToken();
                String subject = "Autumn pieces " + tag;
                String id = CampaignDeadLetterEndToEndTest.sentNow(shop, owner, subject);
                int pass = CampaignDeadLetterEndToEndTest.dispatch(aws, id, "SCHEDULED", hashes.size());

                // The first mail's outcome: written, its answer lost (the SDK's retry of it is refused:
                // the record has its outcome already).
                var lost = dynamo.inject(FaultProxy.dynamo("TransactWriteItems").and(FaultProxy.bodyContains("sentAt")),
                        Fault.ANSWER_LOST, 1);
                String body = Json.write(Map.of("campaignId", id, "pass", pass, "recipients", hashes));
                assertEquals(List.of("recipients-" + tag), failures(functions, tag, body, 1),
                        "the sender cannot tell: its message fails, to come back");
                assertEquals(1, lost.answered());
                JsonNode between = campaign(shop, owner, id);
                assertEquals("DISPATCHED", between.get("status").asText(), between.toString());
                assertAddsUp(between.get("counts"));
                assertEquals(1, between.get("counts").get("sent").asLong(), "the lost answer's write is there: " + between);

                assertEquals(List.of(), failures(functions, tag, body, 2), "the second receive");
                JsonNode done = campaign(shop, owner, id);
                JsonNode counts = done.get("counts");
                assertEquals("SENT", done.get("status").asText(), done.toString());
                assertEquals(readers.size(), counts.get("handled").asLong(), "each counted once: " + counts);
                assertEquals(readers.size(), counts.get("recipients").asLong(), counts.toString());
                assertEquals(readers.size(), counts.get("sent").asLong(), counts.toString());
                assertAddsUp(counts);
                for (String reader : readers) {
                    assertEquals(1, aws.mailbox().to(reader).stream().filter(m -> m.subject().equals(subject)).count(),
                            "one mail to " + reader);
                }
            }
        }
    }

    /** The sender handed the message as the event source hands it, on its {@code receive}-th receive; the ids it fails. */
    private static List<String> failures(LocalFunctions functions, String tag, String body, int receive) throws Exception {
        var answer = (SQSBatchResponse) functions.invoke("CampaignSendFunction", Map.of("Records", List.of(Map.of(
                "messageId", "recipients-" + tag, "body", body,
                "attributes", Map.of("ApproximateReceiveCount", String.valueOf(receive))))));
        return answer.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    private static JsonNode campaign(ShopClient shop, String owner, String id) throws Exception {
        return ShopClient.json(shop.admin("/admin/campaigns/" + id, owner));
    }

    private static void assertAddsUp(JsonNode counts) {
        assertEquals(counts.get("recipients").asLong(), counts.get("sent").asLong() + counts.get("skipped").asLong()
                + counts.get("failed").asLong() + counts.get("givenUp").asLong(),
                "sent + skipped + failed + givenUp = recipients: " + counts);
    }
}
