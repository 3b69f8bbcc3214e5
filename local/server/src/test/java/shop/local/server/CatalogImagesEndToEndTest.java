package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;

/**
 * The demo storefront shows pictures: the sample catalog's photos go into the local images
 * bucket, the catalog's image URLs point at the local stand-in for CloudFront, and it serves them.
 */
@ExtendWith(LocalAwsExtension.class)
class CatalogImagesEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalApiServer server;
    private static LocalAws aws;
    private static String imagesBase;

    @BeforeAll
    static void start(LocalAws localAws) throws Exception {
        aws = localAws;
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        imagesBase = "http://localhost:" + port + LocalApiServer.IMAGES;
        var functions = new LocalFunctions(aws, aws.template(), Map.of("ImagesBaseUrl", imagesBase));
        server = LocalApiServer.start(functions, port);
        SampleCatalog.load(aws, functions.resolver().resolveString(Map.of("Ref", "ImagesBaseUrl")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void everySampleProductOnSaleShowsARealPhotoServedFromTheImagesBucket() throws Exception {
        java.util.Set<String> sample = new java.util.HashSet<>();
        JSON.readTree(Files.readString(aws.template().file().getParent().resolve(SampleCatalog.FILE)))
                .get("products").forEach(p -> sample.add(p.get("sku").asText()));
        java.util.List<JsonNode> products = new java.util.ArrayList<>();
        // Other tests add pieces of their own to the same table: only the sample's are checked.
        JSON.readTree(get("/products").body()).get("products").forEach(p -> {
            if (sample.contains(p.get("sku").asText())) {
                products.add(p);
            }
        });
        assertTrue(products.size() >= 8, products.toString());
        for (JsonNode product : products) {
            String image = product.get("images").get(0).asText();
            assertTrue(image.startsWith(imagesBase + "/sample/"), image);
            HttpResponse<byte[]> photo = HTTP.send(HttpRequest.newBuilder(URI.create(image)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, photo.statusCode(), image);
            assertEquals("image/jpeg", photo.headers().firstValue("content-type").orElse(""), image);
            byte[] file = Files.readAllBytes(aws.template().file().getParent().resolve(SampleCatalog.PHOTOS)
                    .resolve(image.substring(imagesBase.length() + 1)));
            assertArrayEquals(file, photo.body(), image + " is the committed photo");
        }
    }

    @Test
    void theLocalImagesRouteServesOnlyKeysOfTheImagesBucket() throws Exception {
        for (String path : new String[] {"/sample/no-such-piece.jpg", "/../../template.yaml", "/%2e%2e/pom.xml",
                "/sample/ring-aria.jpg%00.png", "/sample/..%2fring-aria.jpg", "/sample/ring-aria.html"}) {
            assertEquals(404, get(LocalApiServer.IMAGES + path).statusCode(), path);
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.baseUri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
