package shop.privacy.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
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
            // Suffixes the Public Suffix List knows and a short list did not (SECURITY.md's former gap):
            // a second level under a country code, and hosting and dynamic-DNS domains (its private section).
            "bounce@evil.kyoto.jp, evil.kyoto.jp, ada@victim.kyoto.jp, false",
            "bounce@evil.waw.pl, evil.waw.pl, ada@victim.waw.pl, false",
            "bounce@mallory.github.io, mallory.github.io, ada@alice.github.io, false",
            "bounce@github.io, github.io, ada@alice.github.io, false",
            "bounce@mallory.blogspot.com, mallory.blogspot.com, ada@alice.blogspot.com, false",
            "bounce@mallory.herokuapp.com, mallory.herokuapp.com, ada@alice.herokuapp.com, false",
            "bounce@mail.alice.github.io, alice.github.io, ada@alice.github.io, true",
            "bounce@mail.example.co.uk, mail.example.co.uk, ada@example.co.uk, true",
            "bounce@shop.example.com.au, shop.example.com.au, ada@example.com.au, true",
            "bounce@mail.example.kyoto.jp, example.kyoto.jp, ada@news.example.kyoto.jp, true",
            // Look-alikes: another registrable domain, whatever it looks like.
            "bounce@example.co.uk.evil.com, example.co.uk.evil.com, ada@example.co.uk, false",
            "bounce@example-com.net, example-com.net, ada@example.com, false",
            "bounce@examp1e.com, examp1e.com, ada@example.com, false",
            "bounce@example.co, example.co, ada@example.com, false",
            "bounce@xn--exmple-cua.com, xn--exmple-cua.com, ada@example.com, false",
            "bounce@example.com.au, example.com.au, ada@example.com, false",
            // An IDN in Unicode (SMTPUTF8) or A-labels is one name; the From line is always in A-labels.
            "bounce@mail.bücher.de, bücher.de, ada@xn--bcher-kva.de, true",
            "bounce@mail.XN--BCHER-KVA.DE., xn--bcher-kva.de, ada@news.xn--bcher-kva.de, true",
            "bounce@bücher.de, bücher.de, ada@buecher.de, false",
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

    /** {@code -}: no organizational domain (a public suffix itself, under none the list knows, or not a name). */
    @ParameterizedTest
    @CsvSource({
            "example.com, example.com", "mail.example.com, example.com", "a.b.example.com, example.com",
            "example.co.uk, example.co.uk", "shop.example.co.uk, example.co.uk", "co.uk, -",
            "example.com.au, example.com.au", "x.example.ac.jp, example.ac.jp", "Example.COM., example.com",
            "example.de, example.de", "mail.example.de, example.de", "com, -",
            "evil.kyoto.jp, evil.kyoto.jp", "mail.victim.kyoto.jp, victim.kyoto.jp", "kyoto.jp, -",
            "victim.waw.pl, victim.waw.pl", "alice.github.io, alice.github.io", "www.alice.github.io, alice.github.io",
            "github.io, -", "x.y.alice.herokuapp.com, alice.herokuapp.com", "a.example.pvt.k12.ma.us, example.pvt.k12.ma.us",
            "mail.bücher.de, xn--bcher-kva.de", "MAIL.BÜCHER.DE, xn--bcher-kva.de", "mail.xn--bcher-kva.de, xn--bcher-kva.de",
            "shop.例え.中国, xn--r8jz45g.xn--fiqs8s", "shop.xn--r8jz45g.xn--fiqs8s, xn--r8jz45g.xn--fiqs8s",
            "host.internal, -", "bücher.example, -", "faß.de, -", "a..b.com, -", "-a.com, -", "' ', -", "., -",
    })
    void organizationalDomains(String domain, String organizational) {
        assertEquals("-".equals(organizational) ? Optional.empty() : Optional.of(organizational),
                OrganizationalDomain.of(domain));
    }

    /**
     * Whichever way round, and whatever the form of an IDN; a name with no organizational domain
     * aligns with itself only.
     */
    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource({
            "bücher.example, xn--bcher-kva.example, true", "BÜCHER.example., xn--bcher-kva.EXAMPLE, true",
            "mail.bücher.example, bücher.example, false", "mail.xn--bcher-kva.example, xn--bcher-kva.example, false",
            "mail.bücher.de, xn--bcher-kva.de, true", "bücher.de, mail.xn--bcher-kva.de, true",
            "bücher.de, bucher.de, false", "xn--bcher-kva.de, bcher.de, false",
            "github.io, github.io, true", "co.uk, co.uk, true", "co.uk, example.co.uk, false",
            "host.internal, host.internal, true", "a.host.internal, host.internal, false",
            "faß.de, fass.de, false", "faß.de, faß.de, false", "fass.de, mail.fass.de, true",
            "example.com, '', false", "'', '', false",
    })
    void alignmentIsSymmetricAndTheSameForEveryFormOfAName(String a, String b, boolean aligned) {
        assertEquals(aligned, OrganizationalDomain.aligned(a, b), a + " ~ " + b);
        assertEquals(aligned, OrganizationalDomain.aligned(b, a), b + " ~ " + a);
    }

    @org.junit.jupiter.api.Test
    void aMissingDomainNeverAligns() {
        assertFalse(OrganizationalDomain.aligned(null, "example.com"));
        assertFalse(OrganizationalDomain.aligned("example.com", null));
        assertFalse(OrganizationalDomain.aligned(null, null));
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
