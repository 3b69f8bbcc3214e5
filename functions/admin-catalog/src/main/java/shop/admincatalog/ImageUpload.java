package shop.admincatalog;

import java.util.Map;

/**
 * A photo upload handed to the admin page: PUT the file to {@code uploadUrl} with
 * {@code headers} before {@code expiresAt} (ISO instant), then add {@code imageUrl} to the
 * product's images.
 */
public record ImageUpload(String uploadUrl, String imageUrl, String key, String expiresAt,
                          Map<String, String> headers) {}
