package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.campaigns.DynamoAudienceBackfill;
import shop.core.admin.AdminAction;
import shop.core.dynamo.DynamoAuditTrail;
import shop.core.email.EmailAddress;
import shop.core.security.AddressHasher;
import shop.core.security.Tokens;
import shop.local.stack.LocalAdmins;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.LocalParameters;
import shop.local.stack.SentMail;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A newsletter campaign as the owner sends it and subscribers receive it, through the local API
 * server, the dispatcher's schedule, the recipients queue and the SES stand-in; then SES's
 * feedback (the real-shaped samples events/campaigns/ses-*.json) as the configuration set delivers it.
 */
@ExtendWith(LocalAwsExtension.class)
class CampaignsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOMAIN = "@campaign-e2e.test";
    private static final int CONFIRMED = 300;
    private static final String POSTAL = LocalParameters.DEFAULTS.get("ShopPostalAddress");

    private static LocalAws aws;
    private static LocalFunctions functions;
    private static LocalApiServer server;
    private static ShopClient shop;
    private static AddressHasher hasher;
    private static String subscribers;

    @BeforeAll
    static void start(LocalAws localAws) {
        aws = localAws;
        // A fast local "SES rate", so that a few hundred mails take seconds; the pace itself is proven by PacerTest (campaigns) and the bench.
        functions = new LocalFunctions(aws, aws.template(), Map.of("SesMaxSendRate", "400"));
        server = LocalApiServer.start(functions, 0);
        shop = new ShopClient(aws, server.baseUri());
        hasher = new AddressHasher(LocalParameters.ADDRESS_HASH_KEY);
        subscribers = aws.physicalName("SubscribersTable");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aCampaignReachesEveryConfirmedUnsuppressedSubscriberOnce() throws Exception {
        Instant started = Instant.now().minusSeconds(1);
        List<String> confirmed = new ArrayList<>();
        for (int i = 0; i < CONFIRMED; i++) {
            confirmed.add("reader" + i + DOMAIN);
        }
        List<String> pending = List.of("pending1" + DOMAIN, "pending2" + DOMAIN);
        List<String> suppressed = List.of("suppressed1" + DOMAIN, "suppressed2" + DOMAIN);
        String leaver = "leaver" + DOMAIN;
        String leaverToken = Tokens.newToken();
        seed(confirmed, pending, suppressed, leaver, leaverToken);

        String owner = shopOwnerToken();
        var created = shop.admin("POST", "/admin/campaigns", owner, JSON.writeValueAsString(Map.of(
                "subject", "Winter collection: silver and garnet",
                "html", "<h1>Winter collection</h1><p>Twelve new pieces in <b>silver &amp; garnet</b>.</p>"
                        + "<p><a href=\"https://shop.example.com/winter.html\">See them</a></p>")));
        assertEquals(201, created.statusCode(), created.body());
        JsonNode campaign = JSON.readTree(created.body());
        String id = campaign.get("id").asText();
        assertEquals("DRAFT", campaign.get("status").asText());
        assertTrue(campaign.get("text").asText().contains("See them (https://shop.example.com/winter.html)"),
                "the text part is made from the HTML: " + campaign.get("text").asText());

        var preview = JSON.readTree(shop.admin("/admin/campaigns/" + id + "/preview", owner).body());
        assertTrue(preview.get("html").asText().contains(POSTAL), "the preview shows the postal address");
        assertEquals("List-Unsubscribe=One-Click", preview.get("headers").get("List-Unsubscribe-Post").asText());

        assertEquals(202, shop.admin("POST", "/admin/campaigns/" + id + "/test", owner, null).statusCode());
        List<SentMail> tests = aws.mailbox().to(LocalParameters.DEFAULTS.get("OwnerEmail")).stream()
                .filter(m -> m.subject().equals("[Test] Winter collection: silver and garnet")).toList();
        assertEquals(1, tests.size(), "the test mail went to the owner");
        assertEquals(List.of("campaign.created", "campaign.test_requested", "campaign.test_sent"),
                new DynamoAuditTrail(aws.dynamo(), aws.physicalName("AdminAuditTable"), Clock.systemUTC())
                        .of("CAMPAIGN#" + id).stream().map(AdminAction::action).toList(),
                "the test mail's request before SES, its outcome after");

        var send = shop.admin("POST", "/admin/campaigns/" + id + "/send", owner, null);
        assertEquals(200, send.statusCode(), send.body());
        assertEquals("SCHEDULED", JSON.readTree(send.body()).get("status").asText());
        assertEquals(403, shop.admin("POST", "/admin/campaigns/" + id + "/pause",
                shop(LocalAdmins.STAFF.username()), null).statusCode(), "staff may not stop a campaign");

        server.schedules().runNow("CampaignDispatchFunction");
        JsonNode dispatched = JSON.readTree(shop.admin("/admin/campaigns/" + id, owner).body());
        assertEquals("DISPATCHED", dispatched.get("status").asText());
        assertTrue(dispatched.get("counts").get("queued").asLong() >= CONFIRMED + 1, dispatched.toString());

        // Queued, not yet sent: the leaver unsubscribes (with the link of an earlier mail) and must get nothing.
        var left = shop.http().send(HttpRequest.newBuilder(server.baseUri().resolve("/newsletter/unsubscribe?token="
                        + leaverToken)).header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, left.statusCode());
        // And the queue hands one batch out twice (SQS delivers at least once).
        String queue = aws.queueUrl(aws.template(), "CampaignRecipientsQueue");
        List<String> twice = confirmed.subList(0, 5).stream().map(a -> hasher.hash(new EmailAddress(a))).toList();
        aws.sqs().sendMessage(b -> b.queueUrl(queue).messageBody(json(Map.of("campaignId", id, "pass", 1,
                "recipients", twice))));

        try (SqsPoller senders = SqsPoller.start(functions)) {
            awaitUntil("the recipients queue to drain", () -> drained(queue));
        }

        List<SentMail> mails = aws.mailbox().since(started).stream()
                .filter(m -> m.subject().equals("Winter collection: silver and garnet")).toList();
        Map<String, Integer> perAddress = new HashMap<>();
        mails.forEach(m -> m.to().forEach(to -> perAddress.merge(to, 1, Integer::sum)));
        for (String address : confirmed) {
            assertEquals(1, perAddress.getOrDefault(address, 0), "mails to " + address);
        }
        for (String address : List.of(pending.get(0), pending.get(1), suppressed.get(0), suppressed.get(1), leaver)) {
            assertEquals(0, perAddress.getOrDefault(address, 0), "mails to " + address);
        }
        Set<String> links = new HashSet<>();
        for (SentMail mail : mails) {
            assertTrue(mail.html().contains(POSTAL) && mail.text().contains(POSTAL), "postal address in " + mail.to());
            assertTrue(mail.text().contains("because you subscribed"), "why the person gets it");
            assertEquals("List-Unsubscribe=One-Click", mail.headers().get("List-Unsubscribe-Post"));
            String link = mail.headers().get("List-Unsubscribe").replaceAll("[<>]", "");
            assertTrue(mail.text().contains(link), "the same link in the body");
            links.add(link);
            assertFalse(mail.html().contains("<img"), "no tracking pixel");
        }
        assertEquals(mails.size(), links.size(), "each mail has its own unsubscribe link");

        // The senders are through: the campaign says so by itself, with the counts of what went out.
        JsonNode finished = JSON.readTree(shop.admin("/admin/campaigns/" + id, owner).body());
        JsonNode counts = finished.get("counts");
        assertEquals("SENT", finished.get("status").asText(), finished.toString());
        assertTrue(Instant.parse(finished.get("finishedAt").asText()).isAfter(started), finished.toString());
        assertEquals(mails.size(), counts.get("sent").asLong(), counts.toString());
        assertEquals(counts.get("queued").asLong(), counts.get("handled").asLong(),
                "every queued recipient handled once, the batch delivered twice included: " + counts);
        assertEquals(counts.get("sent").asLong() + counts.get("skipped").asLong(), counts.get("recipients").asLong());
        // The audience is every confirmed subscriber of the shared local stack: other tests' too.
        assertTrue(counts.get("skipped").asLong() >= 3, "the two suppressed and the leaver at least: " + counts);

        // One click in a campaign mail unsubscribes that reader and shows in the campaign's counts.
        SentMail first = mails.stream().filter(m -> m.isTo("reader7" + DOMAIN)).findFirst().orElseThrow();
        String unsubscribe = first.headers().get("List-Unsubscribe").replaceAll("[<>]", "");
        assertTrue(unsubscribe.startsWith("http") && unsubscribe.contains("/newsletter/unsubscribe?token="), unsubscribe);
        for (int i = 0; i < 2; i++) {
            var oneClick = shop.http().send(HttpRequest.newBuilder(server.baseUri().resolve(
                            URI.create(unsubscribe).getRawPath() + "?" + URI.create(unsubscribe).getRawQuery()))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, oneClick.statusCode());
        }
        assertTrue(item("SUBSCRIBER#" + hash("reader7" + DOMAIN)).isEmpty(), "reader7 is no longer subscribed");
        counts = JSON.readTree(shop.admin("/admin/campaigns/" + id, owner).body()).get("counts");
        assertEquals(1, counts.get("unsubscribed").asLong(), "one unsubscribe through the campaign, clicked twice");

        // SES feedback, each event twice: a bounce and a complaint suppress; a transient bounce only counts.
        feedback("bounce-permanent.json", mailTo(mails, "reader1" + DOMAIN));
        feedback("complaint.json", mailTo(mails, "reader2" + DOMAIN));
        feedback("bounce-transient.json", mailTo(mails, "reader3" + DOMAIN));
        feedback("delivery.json", mailTo(mails, "reader4" + DOMAIN));
        assertEquals("bounce", item("SUPPRESSION#" + hash("reader1" + DOMAIN)).get("reason").s());
        assertEquals("complaint", item("SUPPRESSION#" + hash("reader2" + DOMAIN)).get("reason").s());
        assertTrue(item("SUBSCRIBER#" + hash("reader1" + DOMAIN)).isEmpty(), "a bounced address is unsubscribed");
        assertTrue(item("SUBSCRIBER#" + hash("reader2" + DOMAIN)).isEmpty(), "a complainer is unsubscribed");
        assertTrue(item("SUPPRESSION#" + hash("reader3" + DOMAIN)).isEmpty(), "a transient bounce suppresses nothing");
        assertFalse(item("SUBSCRIBER#" + hash("reader3" + DOMAIN)).isEmpty());
        counts = JSON.readTree(shop.admin("/admin/campaigns/" + id, owner).body()).get("counts");
        assertEquals(1, counts.get("bounced").asLong(), counts.toString());
        assertEquals(1, counts.get("complained").asLong(), counts.toString());
        assertEquals(1, counts.get("softBounced").asLong(), counts.toString());
        assertEquals(1, counts.get("delivered").asLong(), counts.toString());

        // SENT is final; SES's events after it still count (above), nothing else changes it.
        for (String action : List.of("send", "pause", "resume", "cancel")) {
            var refused = shop.admin("POST", "/admin/campaigns/" + id + "/" + action, owner, null);
            assertEquals(409, refused.statusCode(), action + ": " + refused.body());
            assertTrue(refused.body().contains("has been sent to all its recipients"), refused.body());
        }
        assertEquals("SENT", JSON.readTree(shop.admin("/admin/campaigns/" + id, owner).body()).get("status").asText());
    }

    /**
     * A reader of a weekly newsletter: each campaign mail stores its own unsubscribe link, found by
     * the address through the index TokensByAddress, so the subscriber item stays as it was (one
     * written before, with the old list of token hashes, loses it at its first mail); one click in
     * one mail deletes every other link of the address and counts on that mail's campaign.
     */
    @Test
    void aWeeklyReadersItemDoesNotGrowAndOneClickDeletesEveryOtherLinkOfTheAddress() throws Exception {
        String reader = "weekly" + DOMAIN;
        String hash = hash(reader);
        // Subscribed before the index: a signup's unsubscribe link listed on the item the old way.
        String signupLink = Tokens.newToken();
        Map<String, AttributeValue> old = new HashMap<>(subscriber(reader, "CONFIRMED"));
        old.put("tokenHashes", AttributeValue.fromSs(List.of(Tokens.hash(signupLink))));
        aws.dynamo().putItem(b -> b.tableName(subscribers).item(old));
        aws.dynamo().putItem(b -> b.tableName(subscribers).item(Map.of("pk", s("TOKEN#" + Tokens.hash(signupLink)),
                "purpose", s("UNSUBSCRIBE"), "addressHash", s(hash),
                "expiresAt", n(Instant.now().plusSeconds(86400).getEpochSecond()))));

        String owner = shopOwnerToken();
        List<String> campaigns = new ArrayList<>();
        List<String> links = new ArrayList<>();
        Map<String, AttributeValue> afterFirstMail = null;
        for (int week = 1; week <= 4; week++) {
            String subject = "Week " + week + " at the workshop " + hash.substring(0, 6);
            var created = shop.admin("POST", "/admin/campaigns", owner, JSON.writeValueAsString(Map.of(
                    "subject", subject, "html", "<p>New pieces, week " + week + ".</p>")));
            assertEquals(201, created.statusCode(), created.body());
            String id = JSON.readTree(created.body()).get("id").asText();
            campaigns.add(id);
            // Dispatched to this one reader: the sender's message, as the dispatcher queues it.
            aws.dynamo().updateItem(b -> b.tableName(aws.physicalName("CampaignsTable"))
                    .key(Map.of("pk", s("CAMPAIGN#" + id))).updateExpression("SET #status = :dispatched")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":dispatched", s("DISPATCHED"))));
            var sent = (SQSBatchResponse) functions.invoke("CampaignSendFunction", Map.of("Records", List.of(Map.of(
                    "messageId", "week-" + week + "-" + hash, "body",
                    json(Map.of("campaignId", id, "pass", 1, "recipients", List.of(hash)))))));
            assertEquals(List.of(), sent.getBatchItemFailures());

            SentMail mail = aws.mailbox().to(reader).stream().filter(m -> m.subject().equals(subject))
                    .findFirst().orElseThrow(() -> new AssertionError("no mail for " + subject));
            links.add(mail.headers().get("List-Unsubscribe").replaceAll("[<>]", ""));
            Map<String, AttributeValue> item = item("SUBSCRIBER#" + hash);
            assertFalse(item.containsKey("tokenHashes"), "no list of links on the subscriber after mail " + week);
            if (afterFirstMail == null) {
                afterFirstMail = item;
            } else {
                assertEquals(afterFirstMail, item, "the subscriber item after mail " + week + " is the one after mail 1");
            }
        }
        for (String link : links) {
            assertEquals(hash, item("TOKEN#" + Tokens.hash(token(link))).get("addressHash").s(), "each mail's own link");
        }

        var oneClick = shop.http().send(HttpRequest.newBuilder(local(links.get(2)))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, oneClick.statusCode(), oneClick.body());

        assertTrue(item("SUBSCRIBER#" + hash).isEmpty(), "unsubscribed");
        assertEquals("unsubscribe", item("SUPPRESSION#" + hash).get("reason").s());
        assertTrue(item("TOKEN#" + Tokens.hash(token(links.get(2)))).containsKey("usedAt"), "the link used is kept, used");
        for (String other : List.of(links.get(0), links.get(1), links.get(3), "?token=" + signupLink)) {
            assertTrue(item("TOKEN#" + Tokens.hash(token(other))).isEmpty(), "every other link of the address is deleted");
        }
        assertEquals(404, shop.http().send(HttpRequest.newBuilder(local(links.get(0))).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "an earlier mail's link no longer works");
        assertEquals(200, shop.http().send(HttpRequest.newBuilder(local(links.get(2))).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "the link used still answers");
        for (int week = 0; week < campaigns.size(); week++) {
            JsonNode counts = JSON.readTree(shop.admin("/admin/campaigns/" + campaigns.get(week), owner).body()).get("counts");
            assertEquals(week == 2 ? 1 : 0, counts.path("unsubscribed").asLong(), "campaign " + (week + 1) + ": " + counts);
        }
    }

    /** The token in an unsubscribe link. */
    private static String token(String link) {
        return link.substring(link.indexOf("?token=") + "?token=".length());
    }

    /** A link in a mail, on the local API server. */
    private static URI local(String link) {
        URI uri = URI.create(link);
        return server.baseUri().resolve(uri.getRawPath() + "?" + uri.getRawQuery());
    }

    @Test
    void aRecipientsMessageTheSenderCannotReadComesBackInsteadOfBeingDropped() throws Exception {
        Map<String, Object> event = Map.of("Records", List.of(
                Map.of("messageId", "unreadable", "body", "{\"campaignId\": \"c-1\", \"recipients\": ["),
                Map.of("messageId", "empty", "body", "{\"campaignId\": \"no-such-campaign\", \"recipients\": []}")));
        var response = (SQSBatchResponse) functions.invoke("CampaignSendFunction", event);
        assertEquals(List.of("unreadable"), response.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList(), "retried, then kept in the dead-letter queue");
    }

    @Test
    void anOrderMailThatBouncesIsReportedToTheOwnerOnce() throws Exception {
        ObjectNode event = sample("order-mail-bounce.json");
        String messageId = "order-bounce-" + UUID.randomUUID();
        ((ObjectNode) event.get("detail").get("mail")).put("messageId", messageId);
        functions.invoke("SesFeedbackFunction", JSON.convertValue(event, Map.class));
        functions.invoke("SesFeedbackFunction", JSON.convertValue(event, Map.class));
        List<SentMail> toOwner = aws.mailbox().to(LocalParameters.DEFAULTS.get("SenderAddress")).stream()
                .filter(m -> m.subject().equals("Order 1042: the customer's mail bounced"))
                .filter(m -> m.text().contains("jane.doe@gmial.com"))
                .toList();
        assertTrue(toOwner.size() >= 1, "the owner hears of the bounce");
        long thisEvent = toOwner.stream().filter(m -> m.at().isAfter(Instant.now().minusSeconds(30))).count();
        assertEquals(1, thisEvent, "once, however often SES delivers the event");
        Map<String, AttributeValue> record = aws.dynamo().getItem(b -> b.tableName(aws.physicalName("CampaignsTable"))
                .key(Map.of("pk", s("FEEDBACK#" + messageId + "#Bounce-Permanent#" + hash("jane.doe@gmial.com"))))
                .consistentRead(true)).item();
        assertEquals("SENT", record.get("status").s(), "the owner's mail is marked sent: a later duplicate mails no one");
        assertEquals("bounce", item("SUPPRESSION#" + hash("jane.doe@gmial.com")).get("reason").s(),
                "no marketing mail to an address that bounces");
    }

    @Test
    void theBackfillPutsSubscribersConfirmedBeforeCampaignsIntoTheAudienceOnce() {
        String old = "confirmed-long-ago" + DOMAIN;
        Map<String, AttributeValue> item = new HashMap<>(subscriber(old, "CONFIRMED"));
        item.remove("audience");
        aws.dynamo().putItem(b -> b.tableName(subscribers).item(item));
        assertTrue(DynamoAudienceBackfill.run(aws.dynamo(), subscribers) >= 1);
        assertEquals("newsletter", item("SUBSCRIBER#" + hash(old)).get("audience").s());
        assertEquals(0, DynamoAudienceBackfill.run(aws.dynamo(), subscribers), "a second run adds no one");
    }

    private static void feedback(String sample, SentMail mail) throws Exception {
        ObjectNode event = sample(sample);
        ObjectNode detail = (ObjectNode) event.get("detail");
        ObjectNode sesMail = (ObjectNode) detail.get("mail");
        sesMail.put("messageId", mail.messageId());
        String to = mail.to().get(0);
        sesMail.putArray("destination").add(to);
        // SES carries the mail's tags into its events: the campaign tag as the sender set it.
        ObjectNode tags = ((ObjectNode) sesMail.get("tags"));
        tags.remove("campaign");
        mail.tags().forEach((name, value) -> tags.putArray(name).add(value));
        assertEquals(aws.physicalName("MailConfigurationSet"), mail.configurationSet(), "SES reports only what goes through it");
        tags.putArray("ses:configuration-set").add(mail.configurationSet());
        switch (detail.get("eventType").asText()) {
            case "Bounce" -> ((ObjectNode) detail.get("bounce").get("bouncedRecipients").get(0)).put("emailAddress", to);
            case "Complaint" -> ((ObjectNode) detail.get("complaint").get("complainedRecipients").get(0)).put("emailAddress", to);
            case "Delivery" -> ((ObjectNode) detail.get("delivery")).putArray("recipients").add(to);
            default -> throw new IllegalArgumentException(sample);
        }
        functions.invoke("SesFeedbackFunction", JSON.convertValue(event, Map.class));
        functions.invoke("SesFeedbackFunction", JSON.convertValue(event, Map.class));
    }

    private static SentMail mailTo(List<SentMail> mails, String address) {
        return mails.stream().filter(m -> m.isTo(address)).findFirst().orElseThrow();
    }

    private static ObjectNode sample(String name) throws Exception {
        Path events = Path.of(System.getProperty("user.dir")).resolve("../../events/campaigns").normalize();
        return (ObjectNode) JSON.readTree(Files.readString(events.resolve("ses-" + name)));
    }

    private static void seed(List<String> confirmed, List<String> pending, List<String> suppressed, String leaver,
                             String leaverToken) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        List<String> allConfirmed = new ArrayList<>(confirmed);
        allConfirmed.addAll(suppressed);
        allConfirmed.add(leaver);
        for (String address : allConfirmed) {
            items.add(subscriber(address, "CONFIRMED"));
        }
        for (String address : pending) {
            items.add(subscriber(address, "PENDING"));
        }
        for (String address : suppressed) {
            items.add(Map.of("pk", s("SUPPRESSION#" + hash(address)), "since", s(Instant.now().toString())));
        }
        items.add(Map.of("pk", s("TOKEN#" + Tokens.hash(leaverToken)), "purpose", s("UNSUBSCRIBE"),
                "addressHash", s(hash(leaver)), "expiresAt", n(Instant.now().plusSeconds(86400).getEpochSecond())));
        for (int from = 0; from < items.size(); from += 25) {
            List<WriteRequest> writes = items.subList(from, Math.min(from + 25, items.size())).stream()
                    .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build())
                    .toList();
            aws.dynamo().batchWriteItem(b -> b.requestItems(Map.of(subscribers, writes)));
        }
    }

    /** A subscriber item as functions/newsletter writes it; a confirmed one carries the sparse index's attribute. */
    private static Map<String, AttributeValue> subscriber(String address, String status) {
        Map<String, AttributeValue> consent = new HashMap<>(Map.of(
                "givenAt", s("2026-11-01T10:00:00Z"), "policyVersion", s("2016-07-01"), "source", s("e2e-seed"),
                "signupIpPrefix", s("127.0.0.0/24"), "signupUserAgent", s("seed"),
                "ageConfirmed", AttributeValue.fromBool(true)));
        Map<String, AttributeValue> item = new HashMap<>(Map.of("pk", s("SUBSCRIBER#" + hash(address)),
                "email", s(address), "status", s(status)));
        if (status.equals("CONFIRMED")) {
            consent.put("confirmedAt", s("2026-11-01T10:05:00Z"));
            consent.put("confirmIpPrefix", s("127.0.0.0/24"));
            consent.put("confirmUserAgent", s("seed"));
            item.put("audience", s("newsletter"));
        } else {
            item.put("expiresAt", n(Instant.now().plusSeconds(3600).getEpochSecond()));
        }
        item.put("consent", AttributeValue.fromM(consent));
        return item;
    }

    private static Map<String, AttributeValue> item(String pk) {
        return aws.dynamo().getItem(b -> b.tableName(subscribers).key(Map.of("pk", s(pk))).consistentRead(true)).item();
    }

    private static String hash(String address) {
        return hasher.hash(new EmailAddress(address));
    }

    private static String shopOwnerToken() {
        return shop(LocalAdmins.OWNER.username());
    }

    private static String shop(String username) {
        return aws.admins().signIn(username).accessToken();
    }

    private static boolean drained(String queue) {
        var attributes = aws.sqs().getQueueAttributes(b -> b.queueUrl(queue).attributeNamesWithStrings(
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
        return "0".equals(attributes.get("ApproximateNumberOfMessages"))
                && "0".equals(attributes.get("ApproximateNumberOfMessagesNotVisible"));
    }

    private static void awaitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(180);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
