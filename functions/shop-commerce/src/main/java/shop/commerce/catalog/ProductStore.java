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
     * unless {@code overwriteStock}: re-importing must not resurrect a piece that sold. With it,
     * the product's stock is the owner's count of the shelf, which includes the pieces open
     * checkouts hold: what is put on sale is the count less those ({@link StockCount}), written
     * only if they are still what was read.
     *
     * @return with {@code overwriteStock}, what was held and what was put on sale; empty otherwise
     * @throws HeldKeptMovingException when checkouts changed what is held at every try
     */
    Optional<StockCount> save(Product product, boolean overwriteStock);
}
