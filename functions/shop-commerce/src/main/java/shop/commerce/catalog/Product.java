package shop.commerce.catalog;

import java.net.URI;
import java.util.List;
import shop.commerce.Money;

/**
 * A piece in the catalog. Most are one of a kind ({@code stock} 1). An inactive product is
 * hidden from the storefront and cannot be bought, but stays for the orders that name it.
 */
public record Product(String sku, String name, String description, Money price, int stock, List<String> images,
                      boolean active) {
    public static final int MAX_STOCK = 10_000;

    public Product {
        Sku.require(sku);
        name = text("name", name, 1, 120);
        description = description == null ? "" : text("description", description, 0, 2000);
        if (price == null || price.amount() == 0) {
            throw new IllegalArgumentException(sku + ": a product needs a price above zero");
        }
        if (stock < 0 || stock > MAX_STOCK) {
            throw new IllegalArgumentException(sku + ": stock must be between 0 and " + MAX_STOCK);
        }
        images = List.copyOf(images == null ? List.of() : images);
        if (images.size() > 8) {
            throw new IllegalArgumentException(sku + ": at most 8 images (Stripe shows up to 8)");
        }
        images.forEach(Product::requireImageUrl);
    }

    public boolean available() {
        return active && stock > 0;
    }

    private static String text(String field, String value, int min, int max) {
        if (value == null) {
            throw new IllegalArgumentException("A product needs a " + field);
        }
        String stripped = value.strip();
        if (stripped.length() < min || stripped.length() > max) {
            throw new IllegalArgumentException("A product " + field + " has " + min + "-" + max + " characters");
        }
        return stripped;
    }

    private static void requireImageUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("Not an image URL: " + url);
        }
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("An image URL is absolute http(s): " + url);
        }
    }
}
