package shop.core.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import shop.core.email.EmailAddress;

/**
 * A keyed hash (HMAC-SHA256) of a normalised email address. Keys, rate-limit counters and the
 * suppression list use it, so a leaked table or log does not list addresses, and a dictionary
 * of addresses cannot be hashed without the key.
 */
public final class AddressHasher {
    private final SecretKeySpec key;

    public AddressHasher(String secret) {
        if (secret == null || secret.length() < 32) {
            throw new IllegalArgumentException("The address hash key needs at least 32 characters");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public String hash(EmailAddress address) {
        return hmac("email:" + address.value());
    }

    /** For other identifiers that must not be stored in the clear (source IPs in rate limits). */
    public String hash(String purpose, String value) {
        return hmac(purpose + ":" + value);
    }

    private String hmac(String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
