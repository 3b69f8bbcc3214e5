package shop.admincatalog;

import java.util.List;
import java.util.Optional;
import shop.commerce.catalog.Product;

/**
 * The products table as the back office changes it. Every write is one conditional UpdateItem
 * on the product's item, so it cannot undo a customer's checkout or another person's edit.
 */
public interface ProductAdminStore {

    /** A product and the version its details are at (see {@link #update}). */
    record Versioned(Product product, long version) {}

    /** Every product, archived ones included, in SKU order. */
    List<Versioned> all();

    Optional<Versioned> find(String sku);

    /** Writes a new product; false when the SKU exists already. */
    boolean create(Product product);

    /**
     * Replaces name, description, price, images, tax code and the one-of-a-kind mark (never the
     * stock) if the product is still at {@code expectedVersion}; false when someone changed it
     * meanwhile or it is gone. Returns the new version otherwise.
     */
    Optional<Long> update(Product product, long expectedVersion);

    /** Marks it inactive (no longer sold); false when there is no such product. */
    boolean archive(String sku);

    /**
     * Adds {@code delta} (negative: takes away) to the pieces for sale, unless the result would be
     * below zero (the pieces in open checkouts are already out of it), above {@code max}, or
     * above one for a one-of-a-kind piece. Returns the new count for sale, or empty when refused.
     */
    Optional<Integer> adjustStock(String sku, int delta, int max);
}
