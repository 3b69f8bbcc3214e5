package shop.core.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import shop.core.errors.InvalidInputException;
import shop.core.json.Json;

/**
 * A JSON object body, checked before any field is read: media type, size, UTF-8, syntax,
 * duplicate keys. Field accessors fail with the field's name, so the storefront developer
 * knows what to fix.
 */
public final class JsonBody {
    private final ObjectNode root;

    private JsonBody(ObjectNode root) {
        this.root = root;
    }

    public static JsonBody parse(ApiRequest request, int maxBytes) {
        return parse(request, maxBytes, Set.of("application/json"));
    }

    /**
     * For routes browsers call with {@code navigator.sendBeacon}, which sends a string as
     * text/plain (a JSON media type would need a CORS preflight a beacon cannot make).
     */
    public static JsonBody parse(ApiRequest request, int maxBytes, Set<String> mediaTypes) {
        if (!mediaTypes.contains(request.mediaType())) {
            throw new UnsupportedMediaTypeException("application/json");
        }
        byte[] bytes = request.bodyBytes();
        if (bytes.length > maxBytes) {
            throw new PayloadTooLargeException(maxBytes);
        }
        if (bytes.length == 0) {
            throw new InvalidInputException(null, "The request body is empty; send a JSON object.");
        }
        String text = strictUtf8(bytes);
        JsonNode node;
        try {
            node = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(null, "The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidInputException(null, "The request body could not be read as JSON.");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidInputException(null, "The request body must be a JSON object.");
        }
        requireWholeCharacters(node);
        return new JsonBody((ObjectNode) node);
    }

    public String requiredString(String field) {
        return optionalString(field)
                .orElseThrow(() -> new InvalidInputException(field, "\"" + field + "\" is required."));
    }

    public Optional<String> optionalString(String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new InvalidInputException(field, "\"" + field + "\" must be a string.");
        }
        return Optional.of(value.textValue());
    }

    /** A field that may be left out (or null); when given, {@code true} or {@code false}. */
    public Optional<Boolean> optionalBoolean(String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw new InvalidInputException(field, "\"" + field + "\" must be true or false.");
        }
        return Optional.of(value.booleanValue());
    }

    /** A field that must be present and exactly {@code true} (consents, attestations). */
    public boolean requiredBoolean(String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidInputException(field, "\"" + field + "\" is required.");
        }
        if (!value.isBoolean()) {
            throw new InvalidInputException(field, "\"" + field + "\" must be true or false.");
        }
        return value.booleanValue();
    }

    public JsonNode node(String field) {
        return root.get(field);
    }

    /**
     * No half of a character anywhere in the body: JSON's {@code \\uD800} escape reads as a lone surrogate,
     * which strict UTF-8 cannot catch (the bytes are ASCII) and DynamoDB, SES and S3 refuse when it is
     * written, so a route would answer 503 "try again" to a request that can never succeed. Every name and
     * every string of the body, at any depth.
     */
    private static void requireWholeCharacters(JsonNode node) {
        if (node.isTextual()) {
            requireWholeCharacters(node.textValue());
        } else if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                requireWholeCharacters(field.getKey());
                requireWholeCharacters(field.getValue());
            });
        } else if (node.isArray()) {
            node.forEach(JsonBody::requireWholeCharacters);
        }
    }

    private static void requireWholeCharacters(String text) {
        // codePoints() joins every well-formed pair into one character: what is left a surrogate is half of one.
        text.codePoints().filter(c -> Character.getType(c) == Character.SURROGATE).findFirst().ifPresent(c -> {
            throw new InvalidInputException(null, "The request body holds half a character (a \\u"
                    + String.format("%04X", c) + " escape without its pair); send whole Unicode characters.");
        });
    }

    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(null, "The request body is not valid UTF-8.");
        }
    }
}
