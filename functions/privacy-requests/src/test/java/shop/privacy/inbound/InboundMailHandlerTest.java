package shop.privacy.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.core.dynamo.DynamoItems;
import shop.core.json.Json;
import shop.core.security.AddressHasher;
import shop.core.email.EmailAddress;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.Mailbox;
import shop.privacy.testing.Events;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The SES receipt rule's function, fed the real-shaped events of {@code events/privacy-requests/}
 * against the local stand-ins; the raw message is put where the rule's S3 action would put it.
 */
@ExtendWith(LocalAwsExtension.class)
class InboundMailHandlerTest {
    private static LocalAws aws;
    private static Mailbox mailbox;
    private static InboundMailHandler handler;
    private static AddressHasher hasher;

    @BeforeAll
    static void start(LocalAws localAws, Mailbox localMailbox) {
        aws = localAws;
        mailbox = localMailbox;
        Map<String, String> env = aws.functionEnvironment("PrivacyInboundMailFunction", Map.of());
        handler = new InboundMailHandler(env);
        hasher = new AddressHasher(shop.local.stack.LocalParameters.ADDRESS_HASH_KEY);
    }

    @Test
    void snapStartPrimingWritesNothingAndSendsNothing() {
        int items = aws.dynamo().scan(b -> b.tableName(aws.physicalName("PrivacyRequestsTable"))).count().intValue();
        int mails = mailbox.all().size();

        handler.prime();

        assertEquals(items, aws.dynamo().scan(b -> b.tableName(aws.physicalName("PrivacyRequestsTable"))).count().intValue());
        assertEquals(mails, mailbox.all().size());
    }

    /**
     * The priming mail is ignored by the service (its subject) but its alignment is judged by the
     * Public Suffix List, not by an identical name or a DMARC verdict, so the list is loaded
     * before the snapshot.
     */
    @Test
    void snapStartPrimingJudgesAlignmentThroughThePublicSuffixList() throws Exception {
        InboundMail mail = InboundMail.fromEvent(Json.mapper().readValue(InboundMailHandler.PRIMING_EVENT,
                SesReceiptEvent.class)).get(0);

        assertFalse(UnsubscribeSubject.matches(mail.subject()), "never handled");
        assertEquals("GRAY", mail.dmarc(), "so alignment is ours to judge");
        assertEquals("PASS", mail.spf());
        assertEquals(java.util.Optional.of("example.co.uk"), OrganizationalDomain.of("mail.example.co.uk"));
        assertTrue(mail.authenticated(), "SPF for mail.example.co.uk aligns with From example.co.uk");
    }

    @Test
    void aPassingVerdictUnsubscribesTheSenderAndDeletesTheStoredMessage() {
        String address = subscriber();
        String messageId = stored();

        var result = invoke(event("inbound-unsubscribe-pass.json", address, messageId));

        assertEquals(Map.of("results", List.of("UNSUBSCRIBED")), result);
        String hash = hasher.hash(new EmailAddress(address));
        assertTrue(item("SUBSCRIBER#" + hash).isEmpty(), "the subscriber is gone");
        assertFalse(item("SUPPRESSION#" + hash).isEmpty(), "and suppressed, as the newsletter's unsubscribe does");
        assertTrue(mailbox.to(address).get(0).text().contains("You are unsubscribed"));
        assertFalse(objectExists(messageId));
    }

    @Test
    void aFailingVerdictChangesNothingAndGetsNoAnswer() {
        String address = subscriber();
        String messageId = stored();

        var result = invoke(event("inbound-unsubscribe-fail.json", address, messageId));

        assertEquals(Map.of("results", List.of("NOT_AUTHENTICATED")), result);
        String hash = hasher.hash(new EmailAddress(address));
        assertEquals("CONFIRMED", item("SUBSCRIBER#" + hash).get("status").s());
        assertTrue(item("SUPPRESSION#" + hash).isEmpty());
        assertTrue(mailbox.to(address).isEmpty(), "no backscatter to a forged From");
        assertFalse(objectExists(messageId));
    }

    /** Issue 13, finding 5: SPF and DKIM pass for the spoofer's own domain, From a domain without DMARC. */
    @Test
    void aForgedFromWithPassesForAnotherDomainChangesNothingAndMailsAVerificationLinkForAnOptOut() {
        String address = subscriber();
        String messageId = stored();

        var result = invoke(event("inbound-unsubscribe-forged-from.json", address, messageId));

        assertEquals(Map.of("results", List.of("VERIFICATION_SENT")), result);
        String hash = hasher.hash(new EmailAddress(address));
        assertEquals("CONFIRMED", item("SUBSCRIBER#" + hash).get("status").s());
        assertTrue(item("SUPPRESSION#" + hash).isEmpty());
        String text = mailbox.to(address).get(0).text();
        assertTrue(text.contains("/privacy/requests/verify?token="), text);
        assertTrue(text.contains("stop all marketing mail"), text);
        assertFalse(objectExists(messageId));
    }

    @Test
    void anotherSubjectIsLeftAlone() {
        String address = subscriber();
        String messageId = stored();

        var result = invoke(event("inbound-other-subject.json", address, messageId));

        assertEquals(Map.of("results", List.of("IGNORED")), result);
        assertTrue(mailbox.to(address).isEmpty());
        assertEquals("CONFIRMED", item("SUBSCRIBER#" + hasher.hash(new EmailAddress(address))).get("status").s());
    }

    /** A confirmed subscriber in the newsletter's layout. */
    private static String subscriber() {
        String address = "inbound-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String hash = hasher.hash(new EmailAddress(address));
        aws.dynamo().putItem(b -> b.tableName(aws.physicalName("SubscribersTable")).item(Map.of(
                "pk", DynamoItems.s("SUBSCRIBER#" + hash), "email", DynamoItems.s(address),
                "status", DynamoItems.s("CONFIRMED"), "consent", AttributeValue.fromM(Map.of()))));
        return address;
    }

    private static String stored() {
        String messageId = UUID.randomUUID().toString().replace("-", "");
        aws.s3().putObject(b -> b.bucket(aws.physicalName("InboundMailBucket")).key("unsubscribe/" + messageId),
                RequestBody.fromString("From: someone\r\nSubject: Unsubscribe\r\n\r\n"));
        return messageId;
    }

    private static String event(String file, String address, String messageId) {
        return Events.text(file).replace("ada@example.com", address)
                .replaceAll("\"messageId\": \"[a-z0-9]+\"", "\"messageId\": \"" + messageId + "\"");
    }

    /** As Lambda invokes the stream handler: the event's JSON in, the answer's JSON out. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> invoke(String eventJson) {
        try {
            var out = new java.io.ByteArrayOutputStream();
            handler.handleRequest(new java.io.ByteArrayInputStream(eventJson.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    out, null);
            return Json.mapper().readValue(out.toByteArray(), Map.class);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, AttributeValue> item(String pk) {
        var item = aws.dynamo().getItem(b -> b.tableName(aws.physicalName("SubscribersTable")).key(DynamoItems.key(pk))).item();
        return item == null ? Map.of() : item;
    }

    private static boolean objectExists(String messageId) {
        return aws.s3().listObjectsV2(b -> b.bucket(aws.physicalName("InboundMailBucket")).prefix("unsubscribe/" + messageId))
                .keyCount() > 0;
    }
}
