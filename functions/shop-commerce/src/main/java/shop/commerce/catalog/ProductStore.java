package shop.commerce.catalog;

import java.util.List;
import java.util.Optional;

/**
 * The catalog and its stock. Stock moves only with a reservation, in the same transaction
 * ({@link shop.commerce.reservations.ReservationStore}), conditional on enough being left, so two
 * customers can never both take the last piece.
 */
public interface ProductStore {
    /** Every product, active or not, in SKU order. */
    List<Product> all();

    Optional<Product> find(String sku);

    /**
     * Creates or updates a product from a catalog file. Stock is written only for a new product
     * unless {@code overwriteStock}: re-importing must not resurrect a piece that sold.
     */
    void save(Product product, boolean overwriteStock);
}
