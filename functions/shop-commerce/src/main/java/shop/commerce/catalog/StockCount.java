package shop.commerce.catalog;

/**
 * What an import that overwrites the stock ({@code --overwrite-stock}) wrote for one product: the
 * owner's count of the shelf ({@code counted}, the file's stock), the pieces open checkouts held
 * when it was written ({@code held}), and what it put on sale: the count less the held pieces,
 * never below 0, and for a one-of-a-kind piece at most {@code 1 - held} (its {@code stock + held}
 * stays at most 1).
 */
public record StockCount(String sku, int counted, int held, int forSale) {
    public StockCount {
        if (counted < 0 || held < 0 || forSale < 0) {
            throw new IllegalArgumentException(sku + ": a count is never negative");
        }
    }

    /** {@code product}'s stock taken as the owner's count, with {@code held} pieces in open checkouts. */
    public static StockCount of(Product product, int held) {
        int forSale = Math.max(0, product.stock() - held);
        if (product.oneOfAKind()) {
            forSale = Math.min(forSale, Math.max(0, 1 - held));
        }
        return new StockCount(product.sku(), product.stock(), held, forSale);
    }

    /**
     * The owner counted fewer pieces than open checkouts hold: some of the held pieces are not on
     * the shelf (or were missed). Nothing is for sale, but a held piece comes back on sale when its
     * checkout ends unpaid, and a paid one is an order for a piece that may not be there.
     */
    public boolean countedBelowHeld() {
        return counted < held;
    }
}
