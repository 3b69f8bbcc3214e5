package shop.admincatalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import shop.commerce.Money;
import shop.core.errors.InvalidInputException;
import shop.core.http.JsonBody;

/** The JSON bodies of the admin catalog routes, read strictly: a wrong type names its field. */
final class ProductRequests {
    /** Product JSON is small; photos never pass through the API. */
    static final int MAX_BODY_BYTES = 16 * 1024;

    private ProductRequests() {
    }

    /** {@code POST /admin/products}: sku, name, description, price {amount, currency}, stock, images, taxCode, oneOfAKind. */
    static ProductDraft draft(JsonBody body) {
        return new ProductDraft(body.requiredString("sku"), body.requiredString("name"),
                body.optionalString("description").orElse(""), price(body), integer(body, "stock", true),
                images(body), body.optionalString("taxCode").orElse(null),
                body.optionalBoolean("oneOfAKind").orElse(false));
    }

    /**
     * {@code PUT /admin/products/{sku}}: the details (all of them, as the form shows them) and the
     * version read. As on creation, {@code name} and {@code price} must be there, and on an edit
     * {@code oneOfAKind} too: an edit that leaves it out would unmark a piece without anyone
     * choosing to (400 naming it). {@code description}, {@code images} and {@code taxCode} left
     * out are empty, as on creation.
     */
    static ProductDraft edit(String sku, JsonBody body) {
        return new ProductDraft(sku, body.requiredString("name"), body.optionalString("description").orElse(""),
                price(body), 0, images(body), body.optionalString("taxCode").orElse(null),
                body.optionalBoolean("oneOfAKind").orElseThrow(() -> new InvalidInputException("oneOfAKind",
                        "\"oneOfAKind\" is required on an edit (true or false): the edit sends every detail as the"
                                + " form shows it, and leaving it out would unmark a one-of-a-kind piece.")));
    }

    static long version(JsonBody body) {
        JsonNode value = body.node("version");
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw new InvalidInputException("version", "\"version\" is the product's version as the page read it.");
        }
        return value.asLong();
    }

    static int integer(JsonBody body, String field, boolean required) {
        JsonNode value = body.node(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new InvalidInputException(field, "\"" + field + "\" is required (a whole number).");
            }
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new InvalidInputException(field, "\"" + field + "\" must be a whole number.");
        }
        return value.intValue();
    }

    static long size(JsonBody body) {
        JsonNode value = body.node("size");
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidInputException("size", "\"size\" is the photo's size in bytes.");
        }
        return value.longValue();
    }

    private static Money price(JsonBody body) {
        JsonNode price = body.node("price");
        if (price == null || !price.isObject() || !price.path("amount").isIntegralNumber()
                || !price.path("amount").canConvertToLong() || !price.path("currency").isTextual()) {
            throw new InvalidInputException("price", "\"price\" is {\"amount\": minor units (cents), \"currency\": \"USD\"}.");
        }
        try {
            return Money.of(price.get("amount").longValue(), price.get("currency").textValue());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("price", e.getMessage());
        }
    }

    private static List<String> images(JsonBody body) {
        JsonNode images = body.node("images");
        if (images == null || images.isNull()) {
            return List.of();
        }
        if (!images.isArray()) {
            throw new InvalidInputException("images", "\"images\" is a list of image URLs.");
        }
        List<String> urls = new ArrayList<>();
        for (JsonNode image : images) {
            if (!image.isTextual()) {
                throw new InvalidInputException("images", "\"images\" is a list of image URLs.");
            }
            urls.add(image.textValue());
        }
        return urls;
    }
}
