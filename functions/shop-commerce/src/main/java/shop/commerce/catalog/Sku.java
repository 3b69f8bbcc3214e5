package shop.commerce.catalog;

import java.util.regex.Pattern;

/** What a stock-keeping unit may look like: short, and safe in a key, a URL path and a log line. */
public final class Sku {
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,39}");

    private Sku() {
    }

    public static boolean wellFormed(String sku) {
        return sku != null && SHAPE.matcher(sku).matches();
    }

    public static String require(String sku) {
        if (!wellFormed(sku)) {
            throw new IllegalArgumentException("A SKU has 1-40 letters, digits, - and _, starting with a letter or digit");
        }
        return sku;
    }
}
