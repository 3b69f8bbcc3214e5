package shop.admincatalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import shop.commerce.catalog.Product;

/** The products table in memory, with the same conditions as {@link DynamoProductAdminStore}. */
final class InMemoryProductAdminStore implements ProductAdminStore {
    final Map<String, Versioned> products = new ConcurrentHashMap<>();

    InMemoryProductAdminStore with(Product product) {
        products.put(product.sku(), new Versioned(product, 1));
        return this;
    }

    @Override
    public List<Versioned> all() {
        List<Versioned> all = new ArrayList<>(products.values());
        all.sort(Comparator.comparing(v -> v.product().sku()));
        return all;
    }

    @Override
    public Optional<Versioned> find(String sku) {
        return Optional.ofNullable(products.get(sku));
    }

    @Override
    public synchronized boolean create(Product product) {
        return products.putIfAbsent(product.sku(), new Versioned(product, 1)) == null;
    }

    @Override
    public synchronized Optional<Long> update(Product product, long expectedVersion) {
        Versioned current = products.get(product.sku());
        if (current == null || current.version() != expectedVersion) {
            return Optional.empty();
        }
        Product kept = new Product(product.sku(), product.name(), product.description(), product.price(),
                current.product().stock(), product.images(), current.product().active(), product.taxCode(),
                product.oneOfAKind());
        products.put(product.sku(), new Versioned(kept, expectedVersion + 1));
        return Optional.of(expectedVersion + 1);
    }

    @Override
    public synchronized boolean archive(String sku) {
        Versioned current = products.get(sku);
        if (current == null) {
            return false;
        }
        Product p = current.product();
        products.put(sku, new Versioned(new Product(p.sku(), p.name(), p.description(), p.price(), p.stock(), p.images(),
                false, p.taxCode(), p.oneOfAKind()), current.version() + 1));
        return true;
    }

    @Override
    public synchronized Optional<Integer> adjustStock(String sku, int delta, int max) {
        Versioned current = products.get(sku);
        if (current == null) {
            return Optional.empty();
        }
        int stock = current.product().stock() + delta;
        if (stock < 0 || stock > max || current.product().oneOfAKind() && stock > 1) {
            return Optional.empty();
        }
        products.put(sku, new Versioned(current.product().withStock(stock), current.version()));
        return Optional.of(stock);
    }
}
