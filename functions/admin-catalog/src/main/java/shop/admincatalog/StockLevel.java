package shop.admincatalog;

/**
 * A product's stock as the owner sees it: {@code stock} pieces in the shop, of which {@code held}
 * are in customers' open checkouts and {@code available} can be bought now.
 */
public record StockLevel(String sku, int stock, int held, int available) {
    static StockLevel of(String sku, int available, int held) {
        return new StockLevel(sku, available + held, held, available);
    }
}
