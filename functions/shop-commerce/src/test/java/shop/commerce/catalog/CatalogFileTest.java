package shop.commerce.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import shop.commerce.Money;
import shop.commerce.reservations.ReservedLine;
import shop.commerce.reservations.StockReservations;
import shop.commerce.testing.InMemoryProductStore;
import shop.commerce.testing.InMemoryReservationStore;
import shop.commerce.testing.SampleEvents;
import shop.commerce.testing.Samples;

class CatalogFileTest {
    @Test
    void theSampleCatalogHoldsAboutTenValidPiecesMostlyOneOfAKind() throws IOException {
        List<Product> products = CatalogFile.parse(Files.readString(SampleEvents.repositoryRoot().resolve("catalog/sample-catalog.json")));

        assertTrue(products.size() >= 8 && products.size() <= 12, "about ten pieces: " + products.size());
        assertTrue(products.stream().filter(p -> p.stock() == 1).count() >= 5, "mostly one of a kind");
        assertTrue(products.stream().anyMatch(p -> p.active() && p.stock() == 0), "one shows as sold out");
        assertTrue(products.stream().anyMatch(p -> !p.active()), "one is retired");
        Product aria = products.stream().filter(p -> p.sku().equals("RING-ARIA")).findFirst().orElseThrow();
        assertEquals(Money.of(18500, "USD"), aria.price());
    }

    @Test
    void aBadProductFailsTheWholeFileNamingItsPosition() {
        var error = assertThrows(IllegalArgumentException.class, () -> CatalogFile.parse("""
                {"products": [
                  {"sku": "A-1", "name": "A", "price": {"amount": 100, "currency": "USD"}, "stock": 1},
                  {"sku": "B-2", "name": "B", "price": {"amount": 1.5, "currency": "USD"}, "stock": 1}
                ]}"""));
        assertTrue(error.getMessage().startsWith("products[1]"), error.getMessage());
    }

    @Test
    void rejectsDuplicateSkusAndMissingFields() {
        assertThrows(IllegalArgumentException.class, () -> CatalogFile.parse("""
                {"products": [
                  {"sku": "A-1", "name": "A", "price": {"amount": 100, "currency": "USD"}, "stock": 1},
                  {"sku": "A-1", "name": "A again", "price": {"amount": 100, "currency": "USD"}, "stock": 1}
                ]}"""));
        assertThrows(IllegalArgumentException.class, () -> CatalogFile.parse("{\"items\": []}"));
        assertThrows(IllegalArgumentException.class, () -> CatalogFile.parse("""
                {"products": [{"sku": "bad sku!", "name": "A", "price": {"amount": 100, "currency": "USD"}, "stock": 1}]}"""));
    }

    @Test
    void reImportingKeepsTheStockOfASoldPieceUnlessAskedToOverwrite() {
        var store = new InMemoryProductStore().with(Samples.product("RING-ARIA", 18500, 1));
        new StockReservations(new InMemoryReservationStore(store), Clock.systemUTC())
                .reserve(List.of(new ReservedLine("RING-ARIA", 1)));
        assertEquals(0, store.stock("RING-ARIA"));

        CatalogImport.importAll(store, List.of(Samples.product("RING-ARIA", 19000, 1)), false);
        assertEquals(0, store.stock("RING-ARIA"));
        assertEquals(19000, store.find("RING-ARIA").orElseThrow().price().amount());

        CatalogImport.importAll(store, List.of(Samples.product("RING-ARIA", 19000, 1)), true);
        assertEquals(1, store.stock("RING-ARIA"));
        assertFalse(store.find("RING-ARIA").isEmpty());
    }
}
