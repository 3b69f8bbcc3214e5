package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.core.dynamo.DynamoItems;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.SentMail;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * "Email us with the subject Unsubscribe" and the owner's daily digest: the SES receipt rule's
 * function and the scheduled function invoked in-process with the real-shaped events of
 * {@code events/privacy-requests/}, the links they mail followed over HTTP.
 */
@ExtendWith(LocalAwsExtension.class)
class PrivacyInboundMailAndDigestEndToEndTest {
    private static final String OWNER = ShopClient.OWNER;
    private static LocalAws aws;
    private static LocalApiServer server;
    /** The non-HTTP functions, with PublicApiUrl set so that the links they mail reach this server. */
    private static LocalFunctions functions;
    private static PrivacyClient person;
    private static SqsPoller pollers;

    @BeforeAll
    static void start(LocalAws localAws) {
        aws = localAws;
        SourceIpLimits.startFresh(aws);
        server = LocalApiServer.start(aws, 0);
        functions = new LocalFunctions(aws, aws.template(), Map.of("PublicApiUrl", server.baseUri().toString()));
        person = new PrivacyClient(aws, server.baseUri());
        pollers = SqsPoller.start(new LocalFunctions(aws, aws.template(), Map.of())); // the signup mail comes from its queue
    }

    @AfterAll
    static void stop() {
        pollers.close();
        server.close();
    }

    @Test
    void anUnsubscribeMailWithAPassingVerdictUnsubscribesTheSender() throws Exception {
        String email = address();
        person.subscribe(email);
        String messageId = storedByTheReceiptRule();

        Object result = functions.invoke("PrivacyInboundMailFunction", event("inbound-unsubscribe-pass.json", email, messageId));

        assertEquals(Map.of("results", List.of("UNSUBSCRIBED")), result);
        String hash = PrivacyClient.hashOf(email);
        assertEquals(List.of("SUPPRESSION#" + hash), keys(hash), "subscriber and links gone, suppression kept");
        assertTrue(person.newest(email, "Your privacy request").text().contains("You are unsubscribed"));
        Map<String, AttributeValue> request = person.newestRequestOf(hash);
        assertEquals("unsubscribe", request.get("type").s());
        assertEquals("COMPLETED", request.get("status").s());
        assertTrue(request.get("audit").toString().contains("spf=PASS"));
        assertFalse(aws.s3().listObjectsV2(b -> b.bucket(aws.physicalName("InboundMailBucket"))).contents().stream()
                .anyMatch(o -> o.key().contains(messageId)), "the raw message is deleted");
        assertTrue(aws.mailbox().to(OWNER).stream().anyMatch(m -> m.subject().contains(request.get("requestId").s())));
    }

    @Test
    void anUnsubscribeMailThatFailedAuthenticationChangesNothingAndGetsNoAnswer() throws Exception {
        String email = address();
        person.subscribe(email);
        String hash = PrivacyClient.hashOf(email);
        int mails = aws.mailbox().to(email).size();

        Object result = functions.invoke("PrivacyInboundMailFunction",
                event("inbound-unsubscribe-fail.json", email, storedByTheReceiptRule()));

        assertEquals(Map.of("results", List.of("NOT_AUTHENTICATED")), result);
        assertTrue(keys(hash).contains("SUBSCRIBER#" + hash), "still subscribed");
        assertEquals(mails, aws.mailbox().to(email).size(), "no reply to a mail that failed (backscatter)");
    }

    /**
     * Issue 13, finding 5: SPF and DKIM pass for the spoofer's own domain, the From line names a
     * victim whose domain publishes no DMARC. Before, the victim was unsubscribed at once.
     */
    @Test
    void aForgedUnsubscribeMailPassingForTheSpoofersDomainChangesNothingUntilTheMailedLinkIsConfirmed() throws Exception {
        String email = address();
        person.subscribe(email);
        String hash = PrivacyClient.hashOf(email);

        Object result = functions.invoke("PrivacyInboundMailFunction",
                event("inbound-unsubscribe-forged-from.json", email, storedByTheReceiptRule()));

        assertEquals(Map.of("results", List.of("VERIFICATION_SENT")), result);
        assertTrue(keys(hash).contains("SUBSCRIBER#" + hash), "still subscribed");
        String link = person.verificationLink(email);
        assertTrue(link.startsWith(server.baseUri().toString()), link);
        var page = person.get(link);
        assertTrue(page.body().contains("Opt out and deactivate"), page.body());
        assertEquals(200, person.confirm(link).statusCode());
        assertEquals(List.of("DEACTIVATED#" + hash, "SUPPRESSION#" + hash), keys(hash));
    }

    /** Issue 13, finding 5: the authenticated path had no limit; now it shares the address's three a day. */
    @Test
    void authenticatedUnsubscribeMailsCountAgainstTheAddresssDailyLimit() throws Exception {
        String email = address();
        List<Object> results = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            results.add(functions.invoke("PrivacyInboundMailFunction",
                    event("inbound-unsubscribe-pass.json", email, storedByTheReceiptRule())));
        }
        assertEquals(List.of("UNSUBSCRIBED", "UNSUBSCRIBED", "UNSUBSCRIBED", "RATE_LIMITED"),
                results.stream().map(r -> ((Map<?, ?>) r).get("results")).map(r -> ((List<?>) r).get(0)).toList());
    }

    /** The digest lists what is open, an unused link's request expired; its schedule firing twice mails it once. */
    @Test
    void theDailyDigestListsOpenRequestsWithDaysLeftAndExpiresUnusedLinks() throws Exception {
        String fresh = address();
        String stale = address();
        person.request(fresh, "access");
        person.request(stale, "delete");
        String staleId = person.newestRequestOf(PrivacyClient.hashOf(stale)).get("requestId").s();
        receivedLongAgo(staleId);
        String freshId = person.newestRequestOf(PrivacyClient.hashOf(fresh)).get("requestId").s();

        // As its schedule would, through the local run's route for running a scheduled function now; then again, as
        // EventBridge may deliver the same morning's event twice.
        var ran = person.confirm(server.baseUri().resolve("/_local/schedules/PrivacyDigestFunction").toString());
        var again = person.confirm(server.baseUri().resolve("/_local/schedules/PrivacyDigestFunction").toString());

        assertEquals(200, ran.statusCode(), ran.body());
        assertEquals(404, person.confirm(server.baseUri().resolve("/_local/schedules/CatalogFunction").toString()).statusCode(),
                "only scheduled functions run this way");
        assertTrue(PrivacyClient.JSON.readTree(ran.body()).path("result").path("open").asInt() >= 1, ran.body());
        assertEquals("MAILED", PrivacyClient.JSON.readTree(ran.body()).path("result").path("outcome").asText(), ran.body());
        assertEquals(200, again.statusCode(), again.body());
        assertEquals("MAILED_BEFORE", PrivacyClient.JSON.readTree(again.body()).path("result").path("outcome").asText(),
                again.body());
        List<SentMail> digests = aws.mailbox().to(OWNER).stream().filter(m -> m.subject().contains("open request")).toList();
        assertEquals(1, digests.size(), "one digest a day: " + digests);
        SentMail digest = digests.get(0);
        String line = digest.text().lines().filter(l -> l.startsWith(freshId)).findFirst().orElseThrow();
        assertTrue(line.contains("access") && line.contains("received") && line.contains("30 day(s) left"), line);
        assertFalse(digest.text().contains(staleId), "an unused link expired");
        assertFalse(digest.text().contains(fresh), "no addresses in the owner's mail");
        Map<String, AttributeValue> expired = person.newestRequestOf(PrivacyClient.hashOf(stale));
        assertEquals("EXPIRED", expired.get("status").s());
        assertFalse(expired.containsKey("email"));
    }

    private static String storedByTheReceiptRule() {
        String messageId = UUID.randomUUID().toString().replace("-", "");
        aws.s3().putObject(b -> b.bucket(aws.physicalName("InboundMailBucket")).key("unsubscribe/" + messageId),
                RequestBody.fromString("Subject: Unsubscribe\r\n\r\n"));
        return messageId;
    }

    private static Object event(String file, String email, String messageId) throws Exception {
        String json = Files.readString(events(file)).replace("ada@example.com", email)
                .replaceAll("\"messageId\": \"[a-z0-9]+\"", "\"messageId\": \"" + messageId + "\"");
        return PrivacyClient.JSON.readValue(json, Map.class);
    }

    private static java.nio.file.Path events(String file) {
        return TemplateTest.root().resolve("events/privacy-requests").resolve(file);
    }

    /** As if it had come in two hours ago. */
    private static void receivedLongAgo(String requestId) {
        String twoHoursAgo = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC)
                .format(Instant.now().minus(Duration.ofHours(2)));
        aws.dynamo().updateItem(b -> b.tableName(aws.physicalName("PrivacyRequestsTable"))
                .key(DynamoItems.key("REQUEST#" + requestId))
                .updateExpression("SET receivedAt = :then").expressionAttributeValues(Map.of(":then", DynamoItems.s(twoHoursAgo))));
    }

    private static List<String> keys(String hash) {
        return person.scan("SubscribersTable").stream().map(item -> item.get("pk").s())
                .filter(pk -> pk.endsWith("#" + hash) && !pk.startsWith("RATE#")).sorted().toList();
    }

    private static String address() {
        return "mailer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }
}
