package shop.local.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TotpTest {

    /** RFC 6238 appendix B, SHA-1 seed "12345678901234567890": the last 6 of its 8-digit codes. */
    @ParameterizedTest
    @CsvSource({"59,287082", "1111111109,081804", "1111111111,050471", "1234567890,005924",
            "2000000000,279037", "20000000000,353130"})
    void computesTheCodesOfRfc6238(long epochSecond, String code) {
        assertEquals(code, Totp.code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Instant.ofEpochSecond(epochSecond)));
    }

    @Test
    void decodesBase32AsAuthenticatorAppsDo() {
        assertArrayEquals("12345678901234567890".getBytes(StandardCharsets.US_ASCII),
                Totp.base32Decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"));
        assertArrayEquals(new byte[] {(byte) 0x66}, Totp.base32Decode("MY======"));
        assertThrows(IllegalArgumentException.class, () -> Totp.base32Decode("not-base32!"));
    }

    @Test
    void codesChangeEveryThirtySeconds() {
        String secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        assertEquals(Totp.code(secret, Instant.ofEpochSecond(60)), Totp.code(secret, Instant.ofEpochSecond(89)));
        assertEquals("287082", Totp.code(secret, Instant.ofEpochSecond(30)));
    }
}
