package shop.commerce.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import shop.commerce.Money;
import shop.core.json.Json;

/**
 * A catalog file as the shop owner edits it (see catalog/sample-catalog.json):
 * <pre>{"products": [{"sku", "name", "description", "price": {"amount", "currency"},
 *   "stock", "images": [...], "active", "taxCode", "oneOfAKind"}]}</pre>
 * An image is an absolute http(s) URL, or a path such as {@code sample/ring-aria.png} in the shop's
 * images bucket, made absolute with the images base URL (the stack's ImagesBaseUrl output).
 * Every product is checked before anything is written, so a typo cannot half-import a catalog.
 */
public final class CatalogFile {
    private CatalogFile() {
    }

    /** A catalog whose images are all absolute URLs. */
    public static List<Product> parse(String json) {
        return parse(json, null);
    }

    /** {@code imagesBaseUrl} (may be null when every image is absolute) resolves image paths. */
    public static List<Product> parse(String json, String imagesBaseUrl) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("The catalog file is not valid JSON: " + e.getMessage(), e);
        }
        JsonNode products = root == null ? null : root.get("products");
        if (products == null || !products.isArray()) {
            throw new IllegalArgumentException("The catalog file needs a \"products\" array");
        }
        List<Product> result = new ArrayList<>();
        Set<String> skus = new HashSet<>();
        for (int i = 0; i < products.size(); i++) {
            JsonNode node = products.get(i);
            Product product;
            try {
                product = product(node, imagesBaseUrl);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("products[" + i + "]: " + e.getMessage(), e);
            }
            if (!skus.add(product.sku())) {
                throw new IllegalArgumentException("products[" + i + "]: SKU " + product.sku() + " appears twice");
            }
            result.add(product);
        }
        return result;
    }

    private static Product product(JsonNode node, String imagesBaseUrl) {
        JsonNode price = node.path("price");
        if (!price.path("amount").canConvertToLong() || !price.path("amount").isIntegralNumber()) {
            throw new IllegalArgumentException("price.amount is a whole number of minor units (cents)");
        }
        if (!node.path("stock").isInt()) {
            throw new IllegalArgumentException("stock is a whole number");
        }
        // The back office keeps a one-of-a-kind piece at 1 at most (stock and held together); the file may not set 2.
        if (node.path("oneOfAKind").asBoolean(false) && node.get("stock").asInt() > 1) {
            throw new IllegalArgumentException("stock of a one-of-a-kind piece is 0 or 1");
        }
        List<String> images = new ArrayList<>();
        node.path("images").forEach(image -> images.add(imageUrl(image.asText(), imagesBaseUrl)));
        JsonNode taxCode = node.get("taxCode");
        return new Product(
                text(node, "sku"),
                text(node, "name"),
                node.path("description").asText(""),
                Money.of(price.get("amount").asLong(), price.path("currency").asText(null)),
                node.get("stock").asInt(),
                images,
                node.path("active").asBoolean(true),
                taxCode == null || taxCode.isNull() ? null : taxCode.asText(),
                node.path("oneOfAKind").asBoolean(false));
    }

    /** An absolute URL as it is; a path in the images bucket under the base URL. */
    public static String imageUrl(String image, String imagesBaseUrl) {
        if (image.startsWith("https://") || image.startsWith("http://")) {
            return image;
        }
        if (imagesBaseUrl == null || imagesBaseUrl.isBlank()) {
            throw new IllegalArgumentException("image " + image + " is a path in the images bucket: give the images"
                    + " base URL (--images-base-url, the stack's ImagesBaseUrl output)");
        }
        if (image.startsWith("/") || image.contains("..") || image.contains("//")) {
            throw new IllegalArgumentException("image " + image + " is not a plain path in the images bucket");
        }
        return (imagesBaseUrl.endsWith("/") ? imagesBaseUrl : imagesBaseUrl + "/") + image;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(field + " is required (a string)");
        }
        return value.textValue();
    }
}
