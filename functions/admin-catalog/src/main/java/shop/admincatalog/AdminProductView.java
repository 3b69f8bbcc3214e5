package shop.admincatalog;

import java.util.List;
import shop.commerce.catalog.Product;

/** A product in the back office: everything the storefront shows, plus stock, holds and version. */
public record AdminProductView(String sku, String name, String description, Price price, List<String> images,
                               boolean active, String taxCode, boolean oneOfAKind, int stock, int held,
                               int available, long version) {
    public record Price(long amount, String currency, String formatted) {}

    static AdminProductView of(ProductAdminStore.Versioned versioned) {
        Product p = versioned.product();
        int held = versioned.held();
        return new AdminProductView(p.sku(), p.name(), p.description(),
                new Price(p.price().amount(), p.price().currency(), p.price().format()), p.images(), p.active(),
                p.taxCode(), p.oneOfAKind(), p.stock() + held, held, p.stock(), versioned.version());
    }
}
