package shop.admincatalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import shop.commerce.catalog.Product;
import shop.core.admin.AdminAction;
import shop.core.admin.AuditTrail;

/**
 * The products table in memory, with the same conditions as {@link DynamoProductAdminStore}; a
 * change's line goes to {@code trail} exactly when the change is made.
 */
final class InMemoryProductAdminStore implements ProductAdminStore {
    final Map<String, Versioned> products = new ConcurrentHashMap<>();
    private final AuditTrail trail;

    InMemoryProductAdminStore(AuditTrail trail) {
        this.trail = trail;
    }

    InMemoryProductAdminStore with(Product product) {
        products.put(product.sku(), new Versioned(product, 1));
        return this;
    }

    /** {@code pieces} held by open checkouts, as the checkouts' transactions would have counted them. */
    synchronized InMemoryProductAdminStore held(String sku, int pieces) {
        Versioned current = products.get(sku);
        products.put(sku, new Versioned(current.product(), current.version(), pieces, current.stockRequest()));
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
    public synchronized boolean create(Product product, AdminAction line) {
        return products.putIfAbsent(product.sku(), new Versioned(product, 1)) == null && recorded(line);
    }

    @Override
    public synchronized Optional<Long> update(Product product, long expectedVersion, AdminAction line) {
        Versioned current = products.get(product.sku());
        if (current == null || current.version() != expectedVersion || product.oneOfAKind()
                && !current.product().oneOfAKind() && current.product().stock() + current.held() > 1) {
            return Optional.empty();
        }
        Product kept = new Product(product.sku(), product.name(), product.description(), product.price(),
                current.product().stock(), product.images(), current.product().active(), product.taxCode(),
                product.oneOfAKind());
        products.put(product.sku(), new Versioned(kept, expectedVersion + 1, current.held(), current.stockRequest()));
        recorded(line);
        return Optional.of(expectedVersion + 1);
    }

    @Override
    public synchronized boolean setOnSale(String sku, boolean onSale, AdminAction line) {
        Versioned current = products.get(sku);
        if (current == null || current.product().active() == onSale) {
            return false;
        }
        Product p = current.product();
        products.put(sku, new Versioned(new Product(p.sku(), p.name(), p.description(), p.price(), p.stock(), p.images(),
                onSale, p.taxCode(), p.oneOfAKind()), current.version() + 1, current.held(), current.stockRequest()));
        return recorded(line);
    }

    @Override
    public synchronized boolean adjustStock(String sku, int seen, int delta, int max, String request,
                                            AdminAction line) {
        Versioned current = products.get(sku);
        if (current == null || current.product().stock() != seen) {
            return false;
        }
        int stock = seen + delta;
        if (stock < 0 || stock > max || current.product().oneOfAKind() && stock + current.held() > 1) {
            return false;
        }
        products.put(sku, new Versioned(current.product().withStock(stock), current.version(), current.held(),
                request == null ? current.stockRequest() : request));
        return recorded(line);
    }

    private boolean recorded(AdminAction line) {
        trail.record(line);
        return true;
    }
}
