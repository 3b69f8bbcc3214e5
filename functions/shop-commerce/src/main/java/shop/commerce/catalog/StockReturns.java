package shop.commerce.catalog;

/**
 * Pieces going back on sale outside a reservation: a refunded order the owner restocks. Each call
 * adds its pieces once; the caller makes sure it is called once (the order's restock mark).
 */
public interface StockReturns {
    /** Adds {@code quantity} to the product's stock; false if the product is gone (deleted meanwhile). */
    boolean giveBack(String sku, int quantity);
}
