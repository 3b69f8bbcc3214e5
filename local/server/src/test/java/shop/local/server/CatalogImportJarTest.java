package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import shop.commerce.catalog.DynamoProductStore;
import shop.commerce.reservations.DynamoReservationStore;
import shop.commerce.reservations.ReservedLine;
import shop.commerce.reservations.StockReservations;
import shop.local.stack.CfnTemplate;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;

/**
 * The owner's catalog import (README, "The catalog") as written there: {@code java -cp} the jar
 * that template.yaml's CatalogFunction ships, nothing else on the class path, against the stand-in
 * products table. The shade plugin's minimizeJar drops classes no handler reaches, which the
 * import is, so only its keep rule in functions/storefront/pom.xml puts it in the jar. Run again
 * with {@code --overwrite-stock} while a checkout holds a piece, it prints what was held and puts
 * only the rest of the count on sale.
 */
@ExtendWith(LocalAwsExtension.class)
class CatalogImportJarTest {

    @Test
    void theCatalogImportRunsFromTheStorefrontJarAloneStoresTheFilesProductsAndCountsOutWhatCheckoutsHold(LocalAws aws, @TempDir Path dir) throws Exception {
        CfnTemplate template = CfnTemplate.load();
        Path jar = CfnTemplate.repositoryRoot().resolve(template.functions().get("CatalogFunction").codeUri());
        assertTrue(Files.isRegularFile(jar), jar + " is not built (mvn package)");
        String sku = "RING-IMPORTED-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        Path file = dir.resolve("catalog.json");
        Files.writeString(file, """
                {"products": [{"sku": "%s", "name": "Imported ring", "description": "Loaded by the owner's import.",
                  "price": {"amount": 21000, "currency": "USD"}, "stock": 2, "images": ["sample/ring-aria.jpg"],
                  "oneOfAKind": false, "active": true}]}
                """.formatted(sku));
        String table = aws.physicalName("ProductsTable");

        String output = runImport(aws, jar, table, file);
        assertTrue(output.contains("Imported 1 products into " + table), output);

        var products = new DynamoProductStore(aws.dynamo(), table, Clock.systemUTC());
        var stored = products.find(sku).orElseThrow();
        assertEquals("Imported ring", stored.name());
        assertEquals(21000L, stored.price().amount());
        assertEquals(2, stored.stock());
        assertEquals(List.of("https://images.example.test/sample/ring-aria.jpg"), stored.images());

        // The owner counts 2 on the shelf while a customer's checkout holds one of them.
        new StockReservations(new DynamoReservationStore(aws.dynamo(), aws.physicalName("CheckoutsTable"), table,
                Clock.systemUTC()), Clock.systemUTC()).reserve(List.of(new ReservedLine(sku, 1)));
        String counted = runImport(aws, jar, table, file, "--overwrite-stock");
        assertTrue(counted.contains(sku + ": counted 2, 1 held in open checkouts, 1 for sale"), counted);
        assertEquals(1, products.find(sku).orElseThrow().stock(), "the held piece is not for sale twice");
    }

    /** The README's command, with the jar alone, its output; it must exit 0. */
    private static String runImport(LocalAws aws, Path jar, String table, Path file, String... options) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> args = new ArrayList<>(List.of(java.toString(), "-cp", jar.toString(),
                "shop.commerce.catalog.CatalogImport", "--table", table, "--images-base-url", "https://images.example.test"));
        args.addAll(List.of(options));
        args.add(file.toString());
        var command = new ProcessBuilder(args).redirectErrorStream(true);
        // The stand-ins' endpoints, region and test credentials, as the function itself gets them locally.
        command.environment().putAll(aws.functionEnvironment("CatalogFunction", Map.of()));
        Process process = command.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the import did not finish");
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
