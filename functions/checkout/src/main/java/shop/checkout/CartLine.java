package shop.checkout;

/** One line of the cart as the storefront sends it: which piece, how many. */
public record CartLine(String sku, int quantity) {
}
