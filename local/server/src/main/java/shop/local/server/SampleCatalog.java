package shop.local.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import shop.commerce.catalog.CatalogFile;
import shop.commerce.catalog.CatalogImport;
import shop.commerce.catalog.DynamoProductStore;
import shop.local.stack.LocalAws;

/** Loads catalog/sample-catalog.json into the local products table, as the owner's import command would. */
final class SampleCatalog {
    static final String FILE = "catalog/sample-catalog.json";

    private SampleCatalog() {
    }

    /** Returns the number of products loaded; stock already in the table (an earlier run) is kept. */
    static int load(LocalAws aws) {
        Path file = aws.template().file().getParent().resolve(FILE);
        try {
            var products = CatalogFile.parse(Files.readString(file));
            CatalogImport.importAll(new DynamoProductStore(aws.dynamo(), aws.physicalName("ProductsTable"),
                    Clock.systemUTC()), products, false);
            return products.size();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
