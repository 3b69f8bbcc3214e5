package shop.commerce.orders;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The number a customer quotes ("order 7KQ4-M2XD"): short, no look-alike characters, derived from
 * the Checkout Session id so that every delivery of an event computes the same one.
 */
public final class OrderNumber {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray(); // Crockford base32
    private static final String DIGITS = String.valueOf(ALPHABET);
    /** Longer than any way of writing a number this class would read: the rest is not looked at. */
    private static final int MAX_TYPED = 40;

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

    /**
     * The number as {@link #of} writes it ("7KQ4-M2XD"), from the way a customer or the owner types
     * it: any case, spaces or dashes anywhere (or none), a leading '#', and the letters Crockford
     * base32 reads as digits (O as 0, I and L as 1), since the alphabet has none of them. Empty
     * when what is left is not eight characters of the alphabet.
     */
    public static Optional<String> normalise(String typed) {
        if (typed == null || typed.length() > MAX_TYPED) {
            return Optional.empty();
        }
        String text = typed.strip();
        if (text.startsWith("#")) {
            text = text.substring(1);
        }
        StringBuilder digits = new StringBuilder(8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.getType(c) == Character.DASH_PUNCTUATION) {
                continue;
            }
            if (c > 0x7f) {
                return Optional.empty();
            }
            c = Character.toUpperCase(c);
            c = switch (c) {
                case 'O' -> '0';
                case 'I', 'L' -> '1';
                default -> c;
            };
            if (DIGITS.indexOf(c) < 0 || digits.length() == 8) {
                return Optional.empty();
            }
            digits.append(c);
        }
        if (digits.length() != 8) {
            return Optional.empty();
        }
        return Optional.of(digits.substring(0, 4) + "-" + digits.substring(4));
    }
}
