package shop.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.stripe.net.Webhook;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The webhook's signature check, enumerated: every bit of every byte of a small signed event
 * flipped, every character of the secret changed, the age on both sides of the five-minute
 * tolerance, and headers that are not Stripe's format.
 */
class SignatureEdgesTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final String SECRET = "whsec_property_secret";
    private static final String PAYLOAD = "{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"checkout.session.completed\","
            + "\"created\":1795600800,\"livemode\":false,\"data\":{\"object\":{\"id\":\"cs_test_1\"}}}";
    private final StripeSignatureVerifier verifier =
            new StripeSignatureVerifier(() -> SECRET, Clock.fixed(NOW, ZoneOffset.UTC));

    /**
     * Ages in seconds: up to the tolerance verifies, one second past it does not. stripe-java
     * refuses only old timestamps, so one ahead of our clock (Stripe's clock running fast)
     * verifies; only Stripe, holding the secret, can sign one.
     */
    @ParameterizedTest
    @ValueSource(longs = {0, 1, StripeSignatureVerifier.TOLERANCE_SECONDS - 1, StripeSignatureVerifier.TOLERANCE_SECONDS,
            -1, -StripeSignatureVerifier.TOLERANCE_SECONDS, -StripeSignatureVerifier.TOLERANCE_SECONDS - 1})
    void aSignedEventVerifiesUpToTheTolerance(long ageSeconds) throws Exception {
        var verified = verifier.verify(PAYLOAD, header(PAYLOAD, SECRET, NOW.getEpochSecond() - ageSeconds));
        assertEquals("evt_1", verified.id());
        assertEquals("cs_test_1", verified.objectId());
    }

    @ParameterizedTest
    @ValueSource(longs = {StripeSignatureVerifier.TOLERANCE_SECONDS + 1, StripeSignatureVerifier.TOLERANCE_SECONDS + 2,
            3_600, 86_400, 1_795_600_800L})
    void anOlderSignatureIsRejected(long ageSeconds) throws Exception {
        String tooOld = header(PAYLOAD, SECRET, NOW.getEpochSecond() - ageSeconds);
        assertThrows(InvalidSignatureException.class, () -> verifier.verify(PAYLOAD, tooOld));
    }

    static Stream<Arguments> everyBitOfEveryByte() {
        int length = PAYLOAD.getBytes(StandardCharsets.UTF_8).length;
        return IntStream.range(0, length).boxed().flatMap(at -> IntStream.range(0, 8).mapToObj(bit -> Arguments.of(at, bit)));
    }

    @ParameterizedTest(name = "byte {0}, bit {1}")
    @MethodSource("everyBitOfEveryByte")
    void anyFlippedBitOfThePayloadIsRejected(int at, int bit) throws Exception {
        byte[] bytes = PAYLOAD.getBytes(StandardCharsets.UTF_8);
        bytes[at] ^= (byte) (1 << bit);
        String tampered = new String(bytes, StandardCharsets.UTF_8);
        String header = header(PAYLOAD, SECRET, NOW.getEpochSecond());
        assertThrows(InvalidSignatureException.class, () -> verifier.verify(tampered, header));
    }

    static IntStream everyCharacterOfTheSecret() {
        return IntStream.range(0, SECRET.length());
    }

    @ParameterizedTest
    @MethodSource("everyCharacterOfTheSecret")
    void aSignatureMadeWithAnyOtherSecretIsRejected(int at) throws Exception {
        String other = SECRET.substring(0, at) + (char) (SECRET.charAt(at) ^ 1) + SECRET.substring(at + 1);
        String header = header(PAYLOAD, other, NOW.getEpochSecond());
        assertThrows(InvalidSignatureException.class, () -> verifier.verify(PAYLOAD, header));
    }

    /**
     * "t=abc" and a bare "t" once made stripe-java throw NumberFormatException and
     * ArrayIndexOutOfBoundsException, which the handler answered with a 500.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", " ", "t", "t=", "t=,v1=", "t,v1", "v1=00", "t=abc", "t=abc,v1=00", "t=1795600800",
            "t=1795600800,v1=", "t=1795600800,v0=00", "t=99999999999999999999,v1=00", "t=-1,v1=00", "t=1795600800,v1=zz",
            "=,=", ",,,", "t==1,v1==2", "t=1795600800;v1=00", "T=1795600800,V1=00"})
    void aMalformedHeaderIsRejectedAsABadSignatureNeverAsAnotherError(String header) {
        assertThrows(InvalidSignatureException.class, () -> verifier.verify(PAYLOAD, header), header);
    }

    /**
     * The webhook endpoint's API version is set in Stripe's Dashboard and may differ from the
     * library's, which empties stripe-java's typed data object: the object's id is still read.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "\"api_version\":null,", "\"api_version\":\"2020-08-27\",",
            "\"api_version\":\"2026-07-29.dahlia\","})
    void anEventOfAnyApiVersionNamesItsObject(String apiVersion) throws Exception {
        String payload = PAYLOAD.replace("\"object\":\"event\",", "\"object\":\"event\"," + apiVersion);
        var verified = verifier.verify(payload, header(payload, SECRET, NOW.getEpochSecond()));
        assertEquals("cs_test_1", verified.objectId());
        assertEquals("checkout.session.completed", verified.type());
        assertEquals(Instant.ofEpochSecond(1795600800L), verified.created());
    }

    /** Signed, but not an event: a 400 naming the payload, never a 500. */
    @ParameterizedTest
    @ValueSource(strings = {"", "null", "[]", "{}", "\"evt\"", "{\"id\":\"evt_1\"}", "{\"type\":\"x\"}",
            "{\"id\":{},\"type\":\"x\"}", "{\"id\":\"not_an_event\",\"type\":\"x\"}",
            "{\"id\":\"evt_1\",\"type\":\"x\",\"created\":\"soon\"}", "{\"id\":\"evt_1\",\"type\":\"x\",\"data\":7}",
            "{\"id\":\"evt_1\",\"type\":\"x\",\"data\":{\"object\":[]}}", "{\"id\":\"evt_1\",\"type\":\"x\"",
            "{\"id\":\"evt_1\",\"object\":\"charge\",\"type\":\"x\"}",
            "{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"x\",\"created\":9223372036854775807}",
            "{\"id\":\"evt_1\",\"type\":\"x\"} trailing"})
    void aSignedPayloadThatIsNotAnEventIsInvalidInput(String payload) throws Exception {
        String header = header(payload, SECRET, NOW.getEpochSecond());
        assertThrows(shop.core.errors.InvalidInputException.class, () -> verifier.verify(payload, header), payload);
    }

    private static String header(String payload, String secret, long timestamp) throws Exception {
        return Webhook.Signature.generateSignatureHeader(payload, secret, timestamp);
    }
}
