package shop.commerce.catalog;

/**
 * An overwrite of a product's stock found its {@code held} count changed (a checkout held or let
 * go of pieces) between its read and its write, every time it tried: nothing was written for it.
 */
public final class HeldKeptMovingException extends RuntimeException {
    private final String sku;

    public HeldKeptMovingException(String sku, int tries) {
        super(sku + ": open checkouts held or released pieces while the stock was written, " + tries
                + " times; nothing written for it");
        this.sku = sku;
    }

    public String sku() {
        return sku;
    }
}
