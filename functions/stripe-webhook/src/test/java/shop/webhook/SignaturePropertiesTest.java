package shop.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.stripe.net.Webhook;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/**
 * The webhook's signature check over generated events: what Stripe signs verifies, and any
 * change to the payload, the secret or the age past five minutes does not.
 */
class SignaturePropertiesTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private final StripeSignatureVerifier verifier =
            new StripeSignatureVerifier(() -> "whsec_property_secret", Clock.fixed(NOW, ZoneOffset.UTC));

    @Property
    void aSignedEventVerifies(@ForAll @AlphaChars @StringLength(min = 1, max = 40) String id,
            @ForAll @IntRange(max = 299) int ageSeconds) throws Exception {
        String payload = event(id);
        var verified = verifier.verify(payload, header(payload, "whsec_property_secret", NOW.getEpochSecond() - ageSeconds));
        assertEquals("evt_" + id, verified.id());
    }

    @Property
    void anyChangedCharacterOfThePayloadIsRejected(@ForAll @AlphaChars @StringLength(min = 1, max = 40) String id,
            @ForAll int where, @ForAll char replacement) throws Exception {
        String payload = event(id);
        int at = Math.floorMod(where, payload.length());
        Assume.that(payload.charAt(at) != replacement);
        String tampered = payload.substring(0, at) + replacement + payload.substring(at + 1);
        String header = header(payload, "whsec_property_secret", NOW.getEpochSecond());
        assertThrows(InvalidSignatureException.class, () -> verifier.verify(tampered, header));
    }

    @Property
    void anotherSecretOrAnOldTimestampIsRejected(@ForAll @AlphaChars @StringLength(min = 1, max = 40) String secret,
            @ForAll @IntRange(min = 301, max = 1_000_000) int ageSeconds) throws Exception {
        Assume.that(!("whsec_" + secret).equals("whsec_property_secret"));
        String payload = event("x");
        String wrongSecret = header(payload, "whsec_" + secret, NOW.getEpochSecond());
        String tooOld = header(payload, "whsec_property_secret", NOW.getEpochSecond() - ageSeconds);
        assertThrows(InvalidSignatureException.class, () -> verifier.verify(payload, wrongSecret));
        assertThrows(InvalidSignatureException.class, () -> verifier.verify(payload, tooOld));
    }

    @Property
    void aMalformedHeaderIsRejectedAsABadSignatureNeverAsAnotherError(@ForAll @StringLength(max = 80) String junk) {
        String payload = event("x");
        // "t=abc" and a bare "t" once made stripe-java throw NumberFormatException and
        // ArrayIndexOutOfBoundsException, which the handler answered with a 500.
        for (String header : List.of(junk, "t=" + junk, "t=" + junk + ",v1=" + junk, "t," + junk, "t", "t=,v1=",
                "t=99999999999999999999,v1=00")) {
            assertThrows(InvalidSignatureException.class, () -> verifier.verify(payload, header), header);
        }
    }

    private static String event(String id) {
        return "{\"id\":\"evt_" + id + "\",\"object\":\"event\",\"type\":\"checkout.session.completed\","
                + "\"created\":1795600800,\"livemode\":false,\"data\":{\"object\":{\"id\":\"cs_test_1\"}}}";
    }

    private static String header(String payload, String secret, long timestamp) throws Exception {
        return Webhook.Signature.generateSignatureHeader(payload, secret, timestamp);
    }
}
