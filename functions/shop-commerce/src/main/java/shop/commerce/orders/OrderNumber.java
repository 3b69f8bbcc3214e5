package shop.commerce.orders;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The number a customer quotes ("order 7KQ4-M2XD"): short, no look-alike characters, derived from
 * the Checkout Session id so that every delivery of an event computes the same one.
 */
public final class OrderNumber {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray(); // Crockford base32

    private OrderNumber() {
    }

    public static String of(String sessionId) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long bits = 0;
        for (int i = 0; i < 5; i++) {
            bits = bits << 8 | (digest[i] & 0xff);
        }
        StringBuilder number = new StringBuilder(9);
        for (int i = 0; i < 8; i++) {
            number.append(ALPHABET[(int) (bits >>> (35 - 5 * i) & 31)]);
            if (i == 3) {
                number.append('-');
            }
        }
        return number.toString();
    }
}
