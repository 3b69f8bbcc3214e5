package shop.commerce.catalog;

import java.util.List;
import java.util.Optional;

/**
 * The catalog and its stock. Stock only moves through single-item conditional writes, so two
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

    /** Takes {@code quantity} pieces if the product is active and has them; false otherwise. */
    boolean take(String sku, int quantity);

    /** Puts pieces back (a reservation released); a product deleted meanwhile is ignored. */
    void giveBack(String sku, int quantity);
}
