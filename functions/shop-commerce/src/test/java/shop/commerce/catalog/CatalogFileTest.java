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
        List<Product> products = CatalogFile.parse(Files.readString(SampleEvents.repositoryRoot().resolve("catalog/sample-catalog.json")), "https://images.example.test");

        assertTrue(products.size() >= 8 && products.size() <= 12, "about ten pieces: " + products.size());
        assertTrue(products.stream().filter(p -> p.stock() == 1).count() >= 5, "mostly one of a kind");
        assertTrue(products.stream().anyMatch(p -> p.active() && p.stock() == 0), "one shows as sold out");
        assertTrue(products.stream().anyMatch(p -> !p.active()), "one is retired");
        Product aria = products.stream().filter(p -> p.sku().equals("RING-ARIA")).findFirst().orElseThrow();
        assertEquals(Money.of(18500, "USD"), aria.price());
    }

    @Test
    void imagePathsAreMadeAbsoluteWithTheImagesBaseUrlAndUrlsStayAsTheyAre() {
        String file = """
                {"products": [{"sku": "A-1", "name": "A", "price": {"amount": 100, "currency": "USD"}, "stock": 1,
                  "images": ["sample/a.jpg", "https://cdn.example.com/a-2.jpg"], "taxCode": "txcd_99999999",
                  "oneOfAKind": true}]}""";

        Product product = CatalogFile.parse(file, "https://d111.cloudfront.net/").get(0);

        assertEquals(List.of("https://d111.cloudfront.net/sample/a.jpg", "https://cdn.example.com/a-2.jpg"),
                product.images());
        assertEquals("txcd_99999999", product.taxCode());
        assertTrue(product.oneOfAKind());
        var noBase = assertThrows(IllegalArgumentException.class, () -> CatalogFile.parse(file));
        assertTrue(noBase.getMessage().contains("--images-base-url"), noBase.getMessage());
        for (String bad : List.of("/etc/passwd", "../x.jpg", "sample//x.jpg")) {
            assertThrows(IllegalArgumentException.class, () -> CatalogFile.imageUrl(bad, "https://d111.cloudfront.net"));
        }
    }

    @Test
    void theSamplePhotosThatTheCatalogNamesAreInTheRepository() throws IOException {
        var root = SampleEvents.repositoryRoot();
        for (Product product : CatalogFile.parse(Files.readString(root.resolve("catalog/sample-catalog.json")),
                "https://images.example.test")) {
            for (String url : product.images()) {
                var photo = root.resolve("catalog/images").resolve(url.substring("https://images.example.test/".length()));
                assertTrue(Files.size(photo) > 5_000, photo + " is a real picture");
            }
            assertTrue(!product.active() || !product.images().isEmpty(), product.sku() + " on sale has a photo");
        }
    }

    @Test
    void aTaxCodeIsStripesShape() {
        assertThrows(IllegalArgumentException.class, () -> new Product("A-1", "A", "", Money.of(100, "USD"), 1,
                List.of(), true, "general", false));
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
    void aOneOfAKindPieceCannotBeStockedTwice() {
        var error = assertThrows(IllegalArgumentException.class, () -> CatalogFile.parse("""
                {"products": [{"sku": "A-1", "name": "A", "price": {"amount": 100, "currency": "USD"}, "stock": 2,
                  "oneOfAKind": true}]}"""));
        assertEquals("products[0]: stock of a one-of-a-kind piece is 0 or 1", error.getMessage());
        assertEquals(2, CatalogFile.parse("""
                {"products": [{"sku": "A-1", "name": "A", "price": {"amount": 100, "currency": "USD"}, "stock": 2}]}""")
                .get(0).stock(), "a piece made in numbers may be stocked as counted");
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
