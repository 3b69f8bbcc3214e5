package shop.adminorders;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import shop.core.json.Json;

/**
 * What a page sends back to say which values of an order it read (its {@code shippingVersion}, its
 * {@code emailVersion}): a short digest of those values as stored, so that a change is conditional on them. Not the
 * values, and no secret.
 */
final class RecordVersion {
    private RecordVersion() {
    }

    /** The digest of {@code parts} in their order (a null part counts as one). */
    static String of(List<?> parts) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Json.write(parts).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
