package shop.local.stack;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), what an
 * authenticator app computes from the secret Cognito hands out. Only the stand-in side needs it
 * (the local stack enrolling its users, tests and people signing in locally); the deployed code
 * never computes codes.
 */
public final class Totp {

    static final int STEP_SECONDS = 30;
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private Totp() {
    }

    /** The 6-digit code for {@code base32Secret} in the 30-second step that holds {@code at}. */
    public static String code(String base32Secret, Instant at) {
        long step = Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(base32Decode(base32Secret), "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = hash[hash.length - 1] & 0x0f; // RFC 4226 dynamic truncation
            int binary = (hash[offset] & 0x7f) << 24 | (hash[offset + 1] & 0xff) << 16
                    | (hash[offset + 2] & 0xff) << 8 | hash[offset + 3] & 0xff;
            return String.format(Locale.ROOT, "%06d", binary % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }

    /**
     * A code that stays valid long enough to be sent: the verifier checks the step it receives
     * the code in, so when fewer than 3 seconds of this step are left, this waits for the next.
     */
    public static String freshCode(String base32Secret) {
        long secondsLeft = STEP_SECONDS - Math.floorMod(Instant.now().getEpochSecond(), STEP_SECONDS);
        if (secondsLeft < 3) {
            try {
                Thread.sleep(secondsLeft * 1000L + 50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the next TOTP step", e);
            }
        }
        return code(base32Secret, Instant.now());
    }

    /** RFC 4648 base32, case-insensitive, padding and spaces ignored (as authenticator apps accept it). */
    static byte[] base32Decode(String text) {
        String clean = text.replace("=", "").replace(" ", "").toUpperCase(Locale.ROOT);
        ByteBuffer out = ByteBuffer.allocate(clean.length() * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (char c : clean.toCharArray()) {
            int value = BASE32.indexOf(c);
            if (value < 0) {
                throw new IllegalArgumentException("Not a base32 TOTP secret (character '" + c + "')");
            }
            buffer = buffer << 5 | value;
            bits += 5;
            if (bits >= 8) {
                out.put((byte) (buffer >> bits - 8));
                bits -= 8;
            }
        }
        return out.array();
    }
}
