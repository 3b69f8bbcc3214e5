package shop.commerce.reservations;

import shop.core.errors.ConflictException;

/** Not enough stock for a line of the cart: the storefront shows which piece is gone. */
public class SoldOutException extends ConflictException {
    private final String sku;

    public SoldOutException(String sku) {
        super(sku + " is sold out (or fewer pieces are left than the cart asks for).");
        this.sku = sku;
    }

    public String sku() {
        return sku;
    }
}
