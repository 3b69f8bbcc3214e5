package shop.catalog;

import java.util.List;
import shop.commerce.catalog.Product;
import shop.commerce.catalog.ProductStore;
import shop.commerce.catalog.Sku;
import shop.core.errors.NotFoundException;

/** The catalog as the storefront sees it: active products, sold-out ones included and marked. */
public final class CatalogService {
    private final ProductStore products;

    public CatalogService(ProductStore products) {
        this.products = products;
    }

    public List<ProductView> activeProducts() {
        return products.all().stream().filter(Product::active).map(ProductView::of).toList();
    }

    public ProductView product(String sku) {
        if (!Sku.wellFormed(sku)) {
            throw noSuchProduct();
        }
        return products.find(sku).filter(Product::active).map(ProductView::of).orElseThrow(CatalogService::noSuchProduct);
    }

    private static NotFoundException noSuchProduct() {
        return new NotFoundException("There is no product with this SKU in the catalog.");
    }
}
