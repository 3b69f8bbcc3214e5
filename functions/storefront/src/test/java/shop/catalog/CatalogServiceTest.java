package shop.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import shop.commerce.Money;
import shop.commerce.catalog.Product;
import shop.commerce.testing.InMemoryProductStore;
import shop.commerce.testing.Samples;
import shop.core.errors.NotFoundException;

class CatalogServiceTest {
    private final InMemoryProductStore products = new InMemoryProductStore().with(
            Samples.product("RING-ARIA", 18500, 1),
            Samples.product("BROOCH-FERN", 16000, 0),
            new Product("RETIRED", "Retired", "", Money.of(100, "USD"), 5, List.of(), false));
    private final CatalogService service = new CatalogService(products);

    @Test
    void listsActiveProductsWithSoldOutOnesMarked() {
        List<ProductView> views = service.activeProducts();

        assertEquals(List.of("BROOCH-FERN", "RING-ARIA"), views.stream().map(ProductView::sku).toList());
        assertEquals(ProductView.SOLD_OUT, views.get(0).availability());
        assertEquals(ProductView.IN_STOCK, views.get(1).availability());
        assertEquals(new ProductView.Price(18500, "USD", "$185.00"), views.get(1).price());
    }

    @Test
    void aRetiredUnknownOrMalformedSkuIsNotFound() {
        assertEquals("RING-ARIA", service.product("RING-ARIA").sku());
        assertThrows(NotFoundException.class, () -> service.product("RETIRED"));
        assertThrows(NotFoundException.class, () -> service.product("NOPE"));
        assertThrows(NotFoundException.class, () -> service.product("../../etc/passwd"));
    }
}
