package shop.commerce.catalog;

import java.net.URI;
import java.util.List;
import shop.commerce.Money;

/**
 * A piece in the catalog. Most are one of a kind ({@code oneOfAKind}: the back office never
 * raises its stock above one). An inactive (archived) product is hidden from the storefront and cannot be bought, but
 * stays for the orders that name it. {@code taxCode} is the Stripe tax code used when the shop
 * deploys with {@code TaxMode=stripe} (null: the account's default code).
 */
public record Product(String sku, String name, String description, Money price, int stock, List<String> images,
                      boolean active, String taxCode, boolean oneOfAKind) {
    public static final int MAX_STOCK = 10_000;
    private static final java.util.regex.Pattern TAX_CODE = java.util.regex.Pattern.compile("txcd_[0-9]{8}");

    /** A product without a tax code, not marked one of a kind (catalog files of before). */
    public Product(String sku, String name, String description, Money price, int stock, List<String> images,
                   boolean active) {
        this(sku, name, description, price, stock, images, active, null, false);
    }

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
        if (taxCode != null && !TAX_CODE.matcher(taxCode).matches()) {
            throw new IllegalArgumentException(sku + ": a tax code is Stripe's txcd_ and 8 digits, e.g. txcd_99999999");
        }
    }

    public Product withStock(int newStock) {
        return new Product(sku, name, description, price, newStock, images, active, taxCode, oneOfAKind);
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
