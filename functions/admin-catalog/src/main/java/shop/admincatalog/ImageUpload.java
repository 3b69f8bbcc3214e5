package shop.admincatalog;

import java.time.Instant;
import java.util.Map;

/**
 * A photo upload handed to the admin page: PUT the file to {@code uploadUrl} with
 * {@code headers}, then add {@code imageUrl} to the product's images.
 */
public record ImageUpload(String uploadUrl, String imageUrl, String key, Instant expiresAt,
                          Map<String, String> headers) {}
