package shop.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.catalog.CatalogFile;
import shop.commerce.catalog.CatalogImport;
import shop.commerce.catalog.DynamoProductStore;
import shop.commerce.testing.SampleEvents;
import shop.core.json.Json;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;

/** The handler with its real adapter and the sample catalog, fed the sample events of {@code events/storefront/}. */
@ExtendWith(LocalAwsExtension.class)
class CatalogHandlerTest {
    private static CatalogHandler handler;

    @BeforeAll
    static void importTheSampleCatalog(LocalAws aws) throws Exception {
        var products = CatalogFile.parse(Files.readString(SampleEvents.repositoryRoot().resolve("catalog/sample-catalog.json")), "https://images.example.test");
        CatalogImport.importAll(new DynamoProductStore(aws.dynamo(), aws.physicalName("ProductsTable"), Clock.systemUTC()),
                products, true);
        handler = new CatalogHandler(aws.functionEnvironment("CatalogFunction", Map.of()));
    }

    @Test
    void listsTheActiveCatalogWithAvailabilityAndMayBeCached() throws Exception {
        var response = handler.handleRequest(SampleEvents.api("storefront/list-products.json"), null);

        assertEquals(200, response.getStatusCode());
        assertEquals("public, max-age=60", response.getHeaders().get("cache-control"));
        assertEquals("application/json", response.getHeaders().get("content-type"));
        JsonNode products = Json.mapper().readTree(response.getBody()).get("products");
        List<String> skus = products.findValuesAsText("sku");
        assertEquals(9, skus.size(), skus.toString());
        assertFalse(skus.contains("RING-ARCHIVE-01"), "a retired piece is not shown");
        assertEquals("sold_out", product(products, "BROOCH-FERN").get("availability").asText());
        JsonNode aria = product(products, "RING-ARIA");
        assertEquals("in_stock", aria.get("availability").asText());
        assertEquals(18500, aria.get("price").get("amount").asLong());
        assertEquals("USD", aria.get("price").get("currency").asText());
        assertFalse(aria.has("stock"), "the storefront learns availability, not how many are left");
    }

    @Test
    void oneProductBySku() throws Exception {
        var response = handler.handleRequest(SampleEvents.api("storefront/get-product.json"), null);

        assertEquals(200, response.getStatusCode());
        JsonNode aria = Json.mapper().readTree(response.getBody());
        assertEquals("Aria ring", aria.get("name").asText());
        assertEquals("$185.00", aria.get("price").get("formatted").asText());
    }

    @Test
    void anUnknownSkuIsAProblem404() throws Exception {
        var response = handler.handleRequest(SampleEvents.api("storefront/get-unknown-product.json"), null);

        assertEquals(404, response.getStatusCode());
        assertEquals("application/problem+json", response.getHeaders().get("content-type"));
        assertTrue(Json.mapper().readTree(response.getBody()).get("detail").asText().contains("SKU"));
    }

    private static JsonNode product(JsonNode products, String sku) {
        for (JsonNode product : products) {
            if (product.get("sku").asText().equals(sku)) {
                return product;
            }
        }
        throw new AssertionError("no " + sku);
    }
}
