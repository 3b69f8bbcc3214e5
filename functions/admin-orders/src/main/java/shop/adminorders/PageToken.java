package shop.adminorders;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import shop.core.errors.InvalidInputException;
import shop.core.json.Json;

/**
 * The opaque page token of an order list: base64url of {@code {"list": <which list>, "key": {...}}},
 * where key is the position the store handed out. Anything that does not decode to exactly that
 * shape, or belongs to another list, is the caller's mistake (400), never ours (500); the store
 * then checks the key's attributes against its index.
 */
final class PageToken {
    static final int MAX_LENGTH = 1_000;
    private static final int MAX_KEYS = 4;
    private static final int MAX_VALUE = 300;

    private PageToken() {
    }

    static String encode(String list, Map<String, String> key) {
        Map<String, Object> token = new LinkedHashMap<>();
        token.put("list", list);
        token.put("key", key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(token).getBytes(StandardCharsets.UTF_8));
    }

    /** The position {@code page} (absent or empty: the first page) hands back, checked as {@link #decode} does. */
    static Optional<Map<String, String>> after(String list, Optional<String> page) {
        return page.filter(p -> !p.isEmpty()).map(p -> decode(list, p));
    }

    static Map<String, String> decode(String list, String token) {
        if (token.length() > MAX_LENGTH || !token.matches("[A-Za-z0-9_-]+")) {
            throw invalid();
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw invalid();
        }
        if (node == null || !node.isObject() || node.size() != 2 || !node.path("list").isTextual()
                || !node.path("key").isObject()) {
            throw invalid();
        }
        if (!node.get("list").textValue().equals(list)) {
            throw new InvalidInputException("page", "This page token belongs to another list; start from the first page.");
        }
        JsonNode key = node.get("key");
        if (key.isEmpty() || key.size() > MAX_KEYS) {
            throw invalid();
        }
        Map<String, String> position = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = key.fields(); fields.hasNext(); ) {
            var field = fields.next();
            if (!field.getValue().isTextual() || field.getValue().textValue().length() > MAX_VALUE) {
                throw invalid();
            }
            position.put(field.getKey(), field.getValue().textValue());
        }
        return position;
    }

    static InvalidInputException invalid() {
        return InvalidInputException.unknownPageToken();
    }
}
