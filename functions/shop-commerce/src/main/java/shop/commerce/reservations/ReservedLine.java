package shop.commerce.reservations;

import shop.commerce.catalog.Sku;

/** Pieces of one SKU held for a checkout. */
public record ReservedLine(String sku, int quantity) {
    public ReservedLine {
        Sku.require(sku);
        if (quantity < 1) {
            throw new IllegalArgumentException("A reserved line holds at least one piece");
        }
    }
}
