package shop.privacy.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import shop.core.json.Json;
import shop.privacy.testing.Events;

/**
 * DMARC relaxed alignment of SES's verdicts with the From domain, on the receipt events of
 * {@code events/privacy-requests/} (real-shaped: SES's headers, DKIM-Signature, verdicts).
 */
class InboundMailAlignmentTest {

    private static InboundMail parse(String event, String... replacements) throws Exception {
        String json = Events.text(event);
        for (int i = 0; i < replacements.length; i += 2) {
            json = json.replace(replacements[i], replacements[i + 1]);
        }
        List<InboundMail> mails = InboundMail.fromEvent(Json.mapper().readValue(json, SesReceiptEvent.class));
        assertEquals(1, mails.size());
        return mails.get(0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // event, authenticated (act at once), failed (no answer)
            "inbound-unsubscribe-pass.json, true, false",
            "inbound-unsubscribe-fail.json, false, true",
            "inbound-unsubscribe-forged-from.json, false, false",
    })
    void theSampleEvents(String event, boolean authenticated, boolean failed) throws Exception {
        InboundMail mail = parse(event);
        assertEquals(authenticated, mail.authenticated(), "authenticated");
        assertEquals(failed, mail.failedAuthentication(), "failed");
    }

    /** The From domain publishes no DMARC (verdict GRAY): alignment is ours to judge. */
    @ParameterizedTest(name = "envelope {0}, DKIM d={1}, From {2}: aligned {3}")
    @CsvSource({
            "bounce@spoofer.example.net, spoofer.example.net, ada@example.com, false",
            "bounce@mail.example.com, example.com, ada@example.com, true",
            "bounce@example.com, mail.example.com, ada@news.example.com, true",
            "bounce@evil.co.uk, evil.co.uk, ada@example.co.uk, false",
            "bounce@mail.example.co.uk, example.co.uk, ada@shop.example.co.uk, true",
            "bounce@evil.com.au, evil.com.au, ada@example.com.au, false",
            "bounce@co.uk, co.uk, ada@example.co.uk, false",
            "bounce@example.com.evil.net, example.com.evil.net, ada@example.com, false",
            "bounce@xexample.com, xexample.com, ada@example.com, false",
    })
    void spfAndDkimCountOnlyForADomainAlignedWithTheFromDomain(String envelope, String dkimDomain, String from,
                                                               boolean aligned) throws Exception {
        String envelopeDomain = envelope.substring(envelope.indexOf('@') + 1);
        InboundMail spfOnly = parse("inbound-unsubscribe-forged-from.json",
                "bounce@spoofer.example.net", envelope, "ada@example.com", from,
                "\"dkimVerdict\": {\n            \"status\": \"PASS\"", "\"dkimVerdict\": {\n            \"status\": \"GRAY\"");
        assertEquals("GRAY", spfOnly.dkim());
        assertEquals(aligned, spfOnly.authenticated(), "SPF for " + envelopeDomain);

        InboundMail dkimOnly = parse("inbound-unsubscribe-forged-from.json",
                "d=spoofer.example.net", "d=" + dkimDomain, "ada@example.com", from,
                "\"spfVerdict\": {\n            \"status\": \"PASS\"", "\"spfVerdict\": {\n            \"status\": \"GRAY\"");
        assertEquals("GRAY", dkimOnly.spf());
        assertEquals(aligned, dkimOnly.authenticated(), "DKIM for " + dkimDomain);
        assertFalse(dkimOnly.failedAuthentication());
    }

    @ParameterizedTest
    @CsvSource({
            "example.com, example.com", "mail.example.com, example.com", "a.b.example.com, example.com",
            "example.co.uk, example.co.uk", "shop.example.co.uk, example.co.uk", "co.uk, co.uk",
            "example.com.au, example.com.au", "x.example.ac.jp, example.ac.jp", "Example.COM., example.com",
            "example.de, example.de", "mail.example.de, example.de", "com, com",
    })
    void organizationalDomains(String domain, String organizational) {
        assertEquals(organizational, OrganizationalDomain.of(domain));
    }

    @ParameterizedTest
    @CsvSource({"inbound-unsubscribe-pass.json", "inbound-unsubscribe-forged-from.json"})
    void everyDkimSignatureDomainIsRead(String event) throws Exception {
        InboundMail mail = parse(event);
        assertEquals(1, mail.dkimDomains().size());
        assertTrue(mail.dkimDomains().get(0).endsWith("example.com") || mail.dkimDomains().get(0).equals("spoofer.example.net"));
    }

    /** The typed event: a record from another source is skipped; a message without verdicts is GRAY, not trusted. */
    @org.junit.jupiter.api.Test
    void anotherSourcesRecordIsSkippedAndMissingVerdictsAreGray() throws Exception {
        String json = "{\"Records\":[{\"eventSource\":\"aws:sns\",\"ses\":{}},"
                + "{\"eventSource\":\"aws:ses\",\"ses\":{\"mail\":{\"messageId\":\"m1\",\"source\":\"a@example.com\","
                + "\"commonHeaders\":{\"from\":[\"A <a@example.com>\"],\"subject\":\"Unsubscribe\"}},\"extra\":1}}]}";

        List<InboundMail> mails = InboundMail.fromEvent(Json.mapper().readValue(json, SesReceiptEvent.class));

        assertEquals(1, mails.size());
        InboundMail mail = mails.get(0);
        assertEquals("m1", mail.messageId());
        assertEquals("Unsubscribe", mail.subject());
        assertEquals("GRAY", mail.spf());
        assertFalse(mail.authenticated());
        assertTrue(mail.failedAuthentication());
        assertEquals("a@example.com", mail.fromAddress().orElseThrow().value());
    }
}
