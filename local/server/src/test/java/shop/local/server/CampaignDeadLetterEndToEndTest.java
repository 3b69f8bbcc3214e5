package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
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
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * SES refuses a campaign's mails (the account's sending is paused) through every receive of their
 * message: on the last receive the recipients are counted failed, the campaign ends SENT and the
 * owner's page says so, and the message waits in the dead-letter queue. Once SES sends again, the
 * owner redrives it (twice, by mistake): each recipient gets one mail, and the counts read all sent.
 * The recipients queue's RedrivePolicy is the template's; its 540-second visibility timeout is
 * lowered to 2 seconds for the test so that the receives take seconds. The campaign is dispatched
 * to a handful of subscribers as the dispatcher would leave it (the shared stand-in's audience
 * holds other tests' subscribers too).
 */
@ExtendWith(LocalAwsExtension.class)
class CampaignDeadLetterEndToEndTest {
    /** SES v2 when the account's sending is paused: 400, not retried by the SDK. */
    private static final Fault SENDING_PAUSED = new Fault("SendingPausedException", 400,
            Map.of("Content-Type", "application/json", "x-amzn-ErrorType", "SendingPausedException:"),
            "{\"message\":\"Sending is paused for this account.\"}");
    private static final int READERS = 4;
    private static final AddressHasher HASHER = new AddressHasher(LocalParameters.ADDRESS_HASH_KEY);

    @Test
    void sesRefusingEveryAttemptEndsTheCampaignSentWithThemFailed_andARedriveSendsEachOnce(LocalAws aws)
            throws Exception {
        String queue = aws.queueUrl(aws.template(), "CampaignRecipientsQueue");
        String deadLetters = aws.queueUrl(aws.template(), "CampaignRecipientsDeadLetterQueue");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        List<String> readers = subscribers(aws, "dlq-reader", tag);
        List<String> hashes = readers.stream().map(r -> HASHER.hash(new EmailAddress(r))).toList();

        try (FaultProxy ses = FaultProxy.start(aws.endpoint(Service.SESV2))) {
            LocalFunctions functions = functions(aws, ses);
            var paused = ses.injectAlways(FaultProxy.sesSendEmail(), SENDING_PAUSED);
            try (LocalApiServer server = LocalApiServer.start(functions, 0)) {
                ShopClient shop = new ShopClient(aws, server.baseUri());
                String owner = aws.admins().signIn(LocalAdmins.OWNER.username()).accessToken();
                String subject = "Spring pieces " + tag;
                String id = sentNow(shop, owner, subject);
                intoTheDeadLetterQueue(aws, functions, id, dispatch(aws, id, "SCHEDULED", hashes.size()), hashes);
                // Receives 1 to 4 stop at the first refusal (the retry tries again); the fifth, the last,
                // tries each recipient once.
                assertEquals(4 + READERS, paused.answered(), "SES was asked, and refused, every time");
                readers.forEach(r -> assertTrue(aws.mailbox().to(r).isEmpty(), "nothing went out to " + r));

                JsonNode failed = ShopClient.json(shop.admin("/admin/campaigns/" + id, owner));
                JsonNode counts = failed.get("counts");
                assertEquals("SENT", failed.get("status").asText(), "every recipient handled: " + failed);
                assertEquals(READERS, counts.get("failed").asLong(), counts.toString());
                assertEquals(0, counts.get("sent").asLong(), counts.toString());
                assertEquals(READERS, counts.get("handled").asLong(), counts.toString());
                assertEquals(READERS, counts.get("queued").asLong(), counts.toString());
                JsonNode listed = null;
                for (JsonNode c : ShopClient.json(shop.admin("/admin/campaigns", owner)).get("campaigns")) {
                    listed = c.get("id").asText().equals(id) ? c : listed;
                }
                assertEquals(READERS, listed.get("counts").get("failed").asLong(), "the list carries it too");

                // SES sends again; the owner redrives the dead-letter queue (twice, by mistake).
                ses.reset();
                List<Message> dead = aws.sqs().receiveMessage(b -> b.queueUrl(deadLetters).maxNumberOfMessages(10)).messages();
                assertEquals(1, dead.size());
                try (SqsPoller senders = SqsPoller.start(functions)) {
                    DeadLetters.redriveTwice(aws, queue, deadLetters, dead.get(0));
                    ShopClient.await("every reader's mail", () -> readers.stream()
                            .allMatch(r -> !aws.mailbox().to(r).isEmpty()));
                    ShopClient.awaitQueueDrained(aws, "CampaignRecipientsQueue");
                }
                for (String reader : readers) {
                    assertEquals(1, aws.mailbox().to(reader).stream().filter(m -> m.subject().equals(subject)).count(),
                            "one mail to " + reader);
                }
                assertEquals(READERS, ses.calls(FaultProxy.sesSendEmail()).size(), "SES was asked once for each");

                JsonNode redriven = ShopClient.json(shop.admin("/admin/campaigns/" + id, owner));
                counts = redriven.get("counts");
                assertEquals("SENT", redriven.get("status").asText());
                assertEquals(READERS, counts.get("sent").asLong(), counts.toString());
                assertEquals(0, counts.get("failed").asLong(), counts.toString());
                assertEquals(READERS, counts.get("handled").asLong(), "handled once each: " + counts);
                assertEquals(READERS, counts.get("recipients").asLong(), counts.toString());
                assertEquals(0, DeadLetters.visible(aws, deadLetters), "nothing left in the dead-letter queue");
            }
        }
    }

    /**
     * The same refusals, but one recipient of the pass is still to go, so the campaign is still
     * DISPATCHED when the owner pauses it, and redrives the dead-letter queue while it is paused:
     * the sender drops the message, as it drops every message of a paused campaign, and nobody is
     * mailed. The owner resumes: the new pass (queued as the dispatcher queues it) mails each of
     * them once, and the counts read all sent, nothing failed.
     */
    @Test
    void aRedriveWhileThePausedCampaignDropsItsMessage_andTheResumedPassMailsEachOnce(LocalAws aws) throws Exception {
        String queue = aws.queueUrl(aws.template(), "CampaignRecipientsQueue");
        String deadLetters = aws.queueUrl(aws.template(), "CampaignRecipientsDeadLetterQueue");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        List<String> readers = subscribers(aws, "paused-reader", tag);
        List<String> hashes = readers.stream().map(r -> HASHER.hash(new EmailAddress(r))).toList();

        try (FaultProxy ses = FaultProxy.start(aws.endpoint(Service.SESV2))) {
            LocalFunctions functions = functions(aws, ses);
            ses.injectAlways(FaultProxy.sesSendEmail(), SENDING_PAUSED);
            try (LocalApiServer server = LocalApiServer.start(functions, 0)) {
                ShopClient shop = new ShopClient(aws, server.baseUri());
                String owner = aws.admins().signIn(LocalAdmins.OWNER.username()).accessToken();
                String subject = "Summer pieces " + tag;
                String id = sentNow(shop, owner, subject);
                // One more queued than these four: someone whose message is still to come.
                int pass = dispatch(aws, id, "SCHEDULED", hashes.size() + 1);
                intoTheDeadLetterQueue(aws, functions, id, pass, hashes);
                JsonNode failed = ShopClient.json(shop.admin("/admin/campaigns/" + id, owner));
                assertEquals("DISPATCHED", failed.get("status").asText(), failed.toString());
                assertEquals(READERS, failed.get("counts").get("failed").asLong(), failed.toString());

                var paused = shop.admin("POST", "/admin/campaigns/" + id + "/pause", owner, null);
                assertEquals(200, paused.statusCode(), paused.body());
                // SES sends again; the owner redrives while the campaign is paused.
                ses.reset();
                List<Message> dead = aws.sqs().receiveMessage(b -> b.queueUrl(deadLetters).maxNumberOfMessages(10)).messages();
                assertEquals(1, dead.size());
                try (SqsPoller senders = SqsPoller.start(functions)) {
                    aws.sqs().sendMessage(b -> b.queueUrl(queue).messageBody(dead.get(0).body()));
                    aws.sqs().deleteMessage(b -> b.queueUrl(deadLetters).receiptHandle(dead.get(0).receiptHandle()));
                    ShopClient.awaitQueueDrained(aws, "CampaignRecipientsQueue");
                }
                readers.forEach(r -> assertTrue(aws.mailbox().to(r).isEmpty(), "nothing while paused to " + r));
                JsonNode dropped = ShopClient.json(shop.admin("/admin/campaigns/" + id, owner));
                assertEquals("PAUSED", dropped.get("status").asText());
                assertEquals(READERS, dropped.get("counts").get("failed").asLong(), "still failed: " + dropped);

                var resumed = shop.admin("POST", "/admin/campaigns/" + id + "/resume", owner, null);
                assertEquals(200, resumed.statusCode(), resumed.body());
                int second = dispatch(aws, id, "SENDING", hashes.size());
                assertEquals(pass + 1, second, "resuming started a new pass");
                try (SqsPoller senders = SqsPoller.start(functions)) {
                    aws.sqs().sendMessage(b -> b.queueUrl(queue).messageBody(
                            Json.write(Map.of("campaignId", id, "pass", second, "recipients", hashes))));
                    ShopClient.await("every reader's mail", () -> readers.stream()
                            .allMatch(r -> !aws.mailbox().to(r).isEmpty()));
                    ShopClient.awaitQueueDrained(aws, "CampaignRecipientsQueue");
                }
                for (String reader : readers) {
                    assertEquals(1, aws.mailbox().to(reader).stream().filter(m -> m.subject().equals(subject)).count(),
                            "one mail to " + reader);
                }
                JsonNode done = ShopClient.json(shop.admin("/admin/campaigns/" + id, owner));
                JsonNode counts = done.get("counts");
                assertEquals("SENT", done.get("status").asText(), done.toString());
                assertEquals(READERS, counts.get("sent").asLong(), counts.toString());
                assertEquals(0, counts.get("failed").asLong(), counts.toString());
                assertEquals(0, counts.get("givenUp").asLong(), counts.toString());
                assertEquals(READERS, counts.get("handled").asLong(), "each once in the new pass: " + counts);
                assertEquals(READERS, counts.get("recipients").asLong(), counts.toString());
                assertEquals(0, DeadLetters.visible(aws, deadLetters), "nothing left in the dead-letter queue");
            }
        }
    }

    /**
     * What the dispatcher leaves after queueing these {@code queued} recipients of the campaign's
     * pass, which it found {@code from} (SCHEDULED, or SENDING after a resume): DISPATCHED, no longer
     * due. Returns the pass.
     */
    static int dispatch(LocalAws aws, String id, String from, int queued) {
        var item = aws.dynamo().updateItem(b -> b.tableName(aws.physicalName("CampaignsTable"))
                .key(Map.of("pk", AttributeValue.fromS("CAMPAIGN#" + id)))
                .updateExpression("SET #status = :dispatched, queued = :queued REMOVE #due")
                .conditionExpression("#status = :scheduled")
                .expressionAttributeNames(Map.of("#status", "status", "#due", "due"))
                .expressionAttributeValues(Map.of(":dispatched", AttributeValue.fromS("DISPATCHED"),
                        ":scheduled", AttributeValue.fromS(from), ":queued", AttributeValue.fromN(String.valueOf(queued))))
                .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_NEW)).attributes();
        return Integer.parseInt(item.get("pass").n());
    }

    /** {@link #READERS} confirmed subscribers of the newsletter, written as functions/newsletter writes them. */
    static List<String> subscribers(LocalAws aws, String name, String tag) {
        List<String> readers = java.util.stream.IntStream.range(0, READERS)
                .mapToObj(i -> name + i + "-" + tag + "@campaign-e2e.test").toList();
        for (String reader : readers) {
            aws.dynamo().putItem(b -> b.tableName(aws.physicalName("SubscribersTable")).item(subscriber(reader)));
        }
        return readers;
    }

    /** A campaign of {@code subject} the owner writes and sends at once; its id. */
    static String sentNow(ShopClient shop, String owner, String subject) throws Exception {
        var created = shop.admin("POST", "/admin/campaigns", owner,
                Json.write(Map.of("subject", subject, "html", "<p>New pieces.</p>")));
        assertEquals(201, created.statusCode(), created.body());
        String id = ShopClient.json(created).get("id").asText();
        assertEquals(200, shop.admin("POST", "/admin/campaigns/" + id + "/send", owner, null).statusCode());
        return id;
    }

    /** The shop's functions, SES reached through {@code ses}, sending as fast as the stand-in takes it. */
    private static LocalFunctions functions(LocalAws aws, FaultProxy ses) {
        return new LocalFunctions(aws, aws.template(), Map.of("SesMaxSendRate", "400"),
                Map.of("AWS_ENDPOINT_URL_SESV2", ses.uri().toString()));
    }

    /**
     * The pass's message for {@code hashes}, received by the sender until SES's refusals have sent it to the
     * dead-letter queue. The recipients queue's visibility timeout is seconds, not the template's 540, for that
     * while: long enough that no receive starts while the last one still runs (as in AWS, where the sender's
     * 90-second timeout is far shorter).
     */
    private static void intoTheDeadLetterQueue(LocalAws aws, LocalFunctions functions, String id, int pass,
            List<String> hashes) throws Exception {
        String queue = aws.queueUrl(aws.template(), "CampaignRecipientsQueue");
        String deadLetters = aws.queueUrl(aws.template(), "CampaignRecipientsDeadLetterQueue");
        try (var fast = DeadLetters.visibilityTimeout(aws, queue, "2"); SqsPoller senders = SqsPoller.start(functions)) {
            aws.sqs().sendMessage(b -> b.queueUrl(queue).messageBody(
                    Json.write(Map.of("campaignId", id, "pass", pass, "recipients", hashes))));
            ShopClient.await("the message in the dead-letter queue", () -> DeadLetters.visible(aws, deadLetters) == 1);
        }
    }

    /** A confirmed subscriber as functions/newsletter writes one. */
    private static Map<String, AttributeValue> subscriber(String address) {
        Map<String, AttributeValue> consent = new HashMap<>(Map.of(
                "givenAt", AttributeValue.fromS("2026-11-01T10:00:00Z"), "policyVersion", AttributeValue.fromS("2016-07-01"),
                "source", AttributeValue.fromS("e2e-seed"), "confirmedAt", AttributeValue.fromS("2026-11-01T10:05:00Z"),
                "ageConfirmed", AttributeValue.fromBool(true)));
        return Map.of("pk", AttributeValue.fromS("SUBSCRIBER#" + HASHER.hash(new EmailAddress(address))),
                "email", AttributeValue.fromS(address), "status", AttributeValue.fromS("CONFIRMED"),
                "audience", AttributeValue.fromS("newsletter"), "consent", AttributeValue.fromM(consent));
    }
}
