package shop.commerce.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
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
 * With {@code --overwrite-stock} each product's stock in the file is the owner's count of the
 * shelf: pieces in open checkouts are on the shelf too, so what goes on sale is the count less
 * them ({@link StockCount}), and the import prints, per product, what was held. It exits 1 if
 * it could not write a product (checkouts kept moving its pieces), after writing the others.
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
        Report report = importAll(store, products, overwriteStock);
        report.lines().forEach(System.out::println);
        System.out.println("Imported " + (products.size() - report.notWritten().size()) + " products into " + table
                + (overwriteStock ? " (stock overwritten: your count less what open checkouts hold)"
                        : " (stock kept for existing products)"));
        if (!report.notWritten().isEmpty()) {
            System.exit(1);
        }
    }

    /**
     * What an import did: with {@code --overwrite-stock}, each product's count, held pieces and
     * pieces put on sale; and the products it wrote nothing for, because checkouts kept holding or
     * releasing their pieces while it tried (running the import again writes them).
     */
    public record Report(List<StockCount> counts, List<String> notWritten) {
        public Report {
            counts = List.copyOf(counts);
            notWritten = List.copyOf(notWritten);
        }

        /** The lines the import prints, one per product counted or not written, then what to check. */
        public List<String> lines() {
            List<String> lines = new ArrayList<>();
            for (StockCount count : counts) {
                String line = count.sku() + ": counted " + count.counted() + ", " + count.held()
                        + " held in open checkouts, " + count.forSale() + " for sale";
                if (count.forSale() < Math.max(0, count.counted() - count.held())) {
                    line += " (one of a kind: for sale and held make 1 at most)";
                }
                if (count.countedBelowHeld()) {
                    line += ". CHECK: you counted fewer pieces than open checkouts hold (" + count.held() + ")."
                            + " A held piece comes back on sale when its checkout ends unpaid, and a paid one is an"
                            + " order for a piece that may not be on the shelf: find the pieces, or once those"
                            + " checkouts have ended set the stock in the admin page (or import again).";
                }
                lines.add(line);
            }
            for (String sku : notWritten) {
                lines.add(sku + ": NOT WRITTEN: open checkouts held or released pieces of it while its stock was"
                        + " written, every try; run the import again.");
            }
            long below = counts.stream().filter(StockCount::countedBelowHeld).count();
            if (below > 0) {
                lines.add(below + " product(s) counted below what open checkouts hold: see CHECK above.");
            }
            return lines;
        }
    }

    public static Report importAll(ProductStore store, List<Product> products, boolean overwriteStock) {
        List<StockCount> counts = new ArrayList<>();
        List<String> notWritten = new ArrayList<>();
        for (Product product : products) {
            try {
                store.save(product, overwriteStock).ifPresent(counts::add);
            } catch (HeldKeptMovingException moving) {
                notWritten.add(moving.sku());
            }
        }
        return new Report(counts, notWritten);
    }
}
