package shop.admincatalog;

import java.util.List;
import java.util.Optional;
import shop.commerce.catalog.Product;
import shop.core.admin.AdminAction;

/**
 * The products table as the back office changes it. Every write is one conditional write of the
 * product's item together with its line of the audit trail ({@code line}): both are written, or
 * neither is (a refused condition, a function stopped). So a change never lacks its line, and a
 * refused change has none; nor can a write undo a customer's checkout or another person's edit.
 */
public interface ProductAdminStore {

    /**
     * A product, the version its details are at (see {@link #update}), the pieces open
     * checkouts hold ({@code held} on its item, kept by the same transactions that move its stock)
     * and the Idempotency-Key of its last stock change made with one ({@code stockRequest}, null if none).
     */
    record Versioned(Product product, long version, int held, String stockRequest) {
        Versioned(Product product, long version, int held) {
            this(product, version, held, null);
        }

        Versioned(Product product, long version) {
            this(product, version, 0);
        }
    }

    /** Every product, archived ones included, in SKU order. */
    List<Versioned> all();

    Optional<Versioned> find(String sku);

    /** Writes a new product; false when the SKU exists already. */
    boolean create(Product product, AdminAction line);

    /**
     * Replaces name, description, price, images, tax code and the one-of-a-kind mark (never the
     * stock) if the product is still at {@code expectedVersion}; false when someone changed it
     * meanwhile or it is gone, or when marking it one of a kind would leave more than one piece for
     * sale or held (its stock moved since the read). Returns the new version otherwise.
     */
    Optional<Long> update(Product product, long expectedVersion, AdminAction line);

    /**
     * Puts it on sale ({@code onSale}: unarchived) or takes it off (archived); false when there is
     * no such product or it is so already.
     */
    boolean setOnSale(String sku, boolean onSale, AdminAction line);

    /**
     * Sets the pieces for sale from {@code seen} to {@code seen + delta}, if they are still
     * {@code seen} and the result is neither below zero (the pieces in open checkouts are already
     * out of it), above {@code max}, nor, for a one-of-a-kind piece, above one together with the
     * pieces open checkouts hold; false otherwise (a checkout moved the count since it was read,
     * or the change is not allowed). {@code request}, when not null, is kept as the product's
     * {@code stockRequest}, so that the same change sent again is known as made.
     */
    boolean adjustStock(String sku, int seen, int delta, int max, String request, AdminAction line);
}
