package shop.commerce.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import shop.core.aws.AwsClients;
import shop.core.config.Env;

/**
 * Imports a catalog file into a products table: the owner's command for a deployed stack
 * (README, "Catalog") and what the local run uses to load the sample.
 * <pre>java -cp functions/storefront/target/storefront.jar shop.commerce.catalog.CatalogImport \
 *     --table NAME [--images-base-url URL] [--overwrite-stock] FILE</pre>
 * Image paths in the file (not URLs) are made absolute with {@code --images-base-url}, the stack's
 * ImagesBaseUrl output; the pictures themselves are copied into the images bucket beforehand
 * (README, "Catalog").
 * Region and credentials come from the usual AWS variables (AWS_REGION, AWS_PROFILE...).
 */
public final class CatalogImport {
    private CatalogImport() {
    }

    public static void main(String[] args) throws IOException {
        String table = null;
        String file = null;
        String imagesBaseUrl = null;
        boolean overwriteStock = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--table" -> table = i + 1 < args.length ? args[++i] : null;
                case "--overwrite-stock" -> overwriteStock = true;
                case "--images-base-url" -> imagesBaseUrl = i + 1 < args.length ? args[++i] : null;
                default -> file = args[i];
            }
        }
        if (table == null || file == null) {
            System.err.println("usage: CatalogImport --table PRODUCTS_TABLE [--images-base-url URL] [--overwrite-stock] CATALOG.json");
            System.exit(2);
            return;
        }
        List<Product> products = CatalogFile.parse(Files.readString(Path.of(file)), imagesBaseUrl);
        var store = new DynamoProductStore(new AwsClients(Env.system()).dynamo(), table, Clock.systemUTC());
        importAll(store, products, overwriteStock);
        System.out.println("Imported " + products.size() + " products into " + table
                + (overwriteStock ? " (stock overwritten)" : " (stock kept for existing products)"));
    }

    public static void importAll(ProductStore store, List<Product> products, boolean overwriteStock) {
        products.forEach(product -> store.save(product, overwriteStock));
    }
}
