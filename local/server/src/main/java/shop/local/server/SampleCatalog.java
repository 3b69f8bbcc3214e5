package shop.local.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import shop.commerce.catalog.CatalogFile;
import shop.commerce.catalog.CatalogImport;
import shop.commerce.catalog.DynamoProductStore;
import shop.local.stack.LocalAws;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Loads catalog/sample-catalog.json into the local products table, as the owner's import command
 * would, after copying its photos (catalog/images/sample/) into the local images bucket.
 */
final class SampleCatalog {
    static final String FILE = "catalog/sample-catalog.json";
    static final String PHOTOS = "catalog/images";

    private SampleCatalog() {
    }

    /**
     * Returns the number of products loaded; stock already in the table (an earlier run) is kept.
     * {@code imagesBaseUrl} is where the images bucket is served ({@code /_local/images} locally).
     */
    static int load(LocalAws aws, String imagesBaseUrl) {
        Path root = aws.template().file().getParent();
        Path file = root.resolve(FILE);
        try {
            uploadPhotos(aws, root.resolve(PHOTOS));
            var products = CatalogFile.parse(Files.readString(file), imagesBaseUrl);
            CatalogImport.importAll(new DynamoProductStore(aws.dynamo(), aws.physicalName("ProductsTable"),
                    Clock.systemUTC()), products, false);
            return products.size();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** Every file under catalog/images, at its relative path as the key (sample/ring-aria.jpg). */
    static void uploadPhotos(LocalAws aws, Path photos) throws IOException {
        String bucket = aws.physicalName("ImagesBucket");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(photos)) {
            files = walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".jpg")).toList();
        }
        for (Path photo : files) {
            String key = photos.relativize(photo).toString().replace('\\', '/');
            aws.s3().putObject(b -> b.bucket(bucket).key(key).contentType("image/jpeg"), RequestBody.fromFile(photo));
        }
    }
}
