package shop.commerce.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import shop.commerce.catalog.Product;
import shop.commerce.catalog.ProductStore;
import shop.commerce.catalog.StockCount;

/** The products table in memory, with the same conditional rules. */
public final class InMemoryProductStore implements ProductStore {
    private final Map<String, Product> products = new ConcurrentHashMap<>();

    public InMemoryProductStore with(Product... items) {
        for (Product product : items) {
            products.put(product.sku(), product);
        }
        return this;
    }

    public int stock(String sku) {
        return products.get(sku).stock();
    }

    @Override
    public List<Product> all() {
        List<Product> all = new ArrayList<>(products.values());
        all.sort(Comparator.comparing(Product::sku));
        return all;
    }

    @Override
    public Optional<Product> find(String sku) {
        return Optional.ofNullable(products.get(sku));
    }

    @Override
    public synchronized Optional<StockCount> save(Product product, boolean overwriteStock) {
        Product existing = products.get(product.sku());
        // No held count here: a hold takes the pieces out of stock and nothing tracks them.
        Optional<StockCount> count = overwriteStock ? Optional.of(StockCount.of(product, 0)) : Optional.empty();
        int stock = count.map(StockCount::forSale).orElse(existing == null ? product.stock() : existing.stock());
        products.put(product.sku(), withStock(product, stock));
        return count;
    }

    /** Used by {@link InMemoryReservationStore} under its own lock, as the transaction's stock part. */
    synchronized boolean take(String sku, int quantity) {
        Product product = products.get(sku);
        if (product == null || !product.active() || product.stock() < quantity) {
            return false;
        }
        products.put(sku, withStock(product, product.stock() - quantity));
        return true;
    }

    synchronized boolean canTake(String sku, int quantity) {
        Product product = products.get(sku);
        return product != null && product.active() && product.stock() >= quantity;
    }

    /** A piece back on sale (a restocked order); false when the product is gone. */
    public synchronized boolean giveBack(String sku, int quantity) {
        Product product = products.get(sku);
        if (product == null) {
            return false;
        }
        products.put(sku, withStock(product, product.stock() + quantity));
        return true;
    }

    private static Product withStock(Product p, int stock) {
        return p.withStock(stock);
    }
}
