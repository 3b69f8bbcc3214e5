package shop.admincatalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.catalog.DynamoProductStore;
import shop.commerce.reservations.DynamoReservationStore;
import shop.commerce.reservations.ReservedLine;
import shop.commerce.reservations.StockReservations;
import shop.core.dynamo.DynamoAuditTrail;
import shop.core.json.Json;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.Service;

/**
 * The function as template.yaml wires it (its own environment, the generated DynamoDB client and
 * S3 presigner) against the local stand-ins, fed API Gateway events with verified claims.
 */
@ExtendWith(LocalAwsExtension.class)
class AdminCatalogHandlerTest {
    private static final Map<String, String> OWNER = Map.of("sub", "sub-owner", "username", "owner@localhost.test",
            "cognito:groups", "[owners]");
    private static final Map<String, String> STAFF = Map.of("sub", "sub-staff", "username", "staff@localhost.test",
            "cognito:groups", "[staff]");

    private static LocalAws aws;
    private static AdminCatalogHandler handler;
    private static DynamoProductStore products;

    @BeforeAll
    static void start(LocalAws localAws) {
        aws = localAws;
        handler = new AdminCatalogHandler(aws.functionEnvironment("AdminCatalogFunction", Map.of()));
        products = new DynamoProductStore(aws.dynamo(), aws.physicalName("ProductsTable"), Clock.systemUTC());
    }

    /**
     * Priming runs every route but creation, and the adapters' calls: were one refused (a
     * permission, a malformed request), prime() would throw. The catalog and the trail are as
     * they were.
     */
    @Test
    void snapStartPrimingChangesNothing() {
        var before = products.all();

        handler.prime();

        assertEquals(before, products.all());
        assertTrue(products.find(AdminCatalogHandler.NOT_IN_THE_CATALOG).isEmpty());
        var trail = new DynamoAuditTrail(aws.dynamo(), aws.physicalName("AdminAuditTable"), Clock.systemUTC());
        assertEquals(List.of(), trail.of("PRODUCT#" + AdminCatalogHandler.NOT_IN_THE_CATALOG));
        assertEquals(List.of(), trail.of("PRIMING#never-recorded"));
    }

    @Test
    void anOwnerCreatesEditsArchivesAndUnarchivesAProductEachChangeConditionalAndInTheTrail() throws IOException {
        String sku = sku();
        var created = call(OWNER, "POST /admin/products", null, product(sku, 12000, 1));
        assertEquals(201, created.getStatusCode(), created.getBody());
        assertEquals(1, json(created).get("version").asInt());
        assertEquals(409, call(OWNER, "POST /admin/products", null, product(sku, 9900, 1)).getStatusCode(),
                "another product on that SKU");
        var again = call(OWNER, "POST /admin/products", null, product(sku, 12000, 1));
        assertEquals(201, again.getStatusCode(), "the same creation sent again: answered as created");
        assertEquals(json(created), json(again));

        var edited = call(OWNER, "PUT /admin/products/{sku}", sku, edit(1, 13500));
        assertEquals(200, edited.getStatusCode(), edited.getBody());
        assertEquals(2, json(edited).get("version").asInt());
        var stale = call(OWNER, "PUT /admin/products/{sku}", sku, edit(1, 9900));
        assertEquals(409, stale.getStatusCode());
        assertTrue(stale.getBody().contains("changed by someone else"), stale.getBody());
        assertEquals(13500, products.find(sku).orElseThrow().price().amount(), "the second edit did not overwrite");
        assertEquals("txcd_99999999", products.find(sku).orElseThrow().taxCode());

        var archived = call(OWNER, "POST /admin/products/{sku}/archive", sku, null);
        assertEquals(200, archived.getStatusCode(), archived.getBody());
        assertFalse(products.find(sku).orElseThrow().active());
        var back = call(OWNER, "POST /admin/products/{sku}/unarchive", sku, null);
        assertEquals(200, back.getStatusCode(), back.getBody());
        assertTrue(json(back).get("active").asBoolean());
        assertEquals(4, json(back).get("version").asInt());
        assertTrue(products.find(sku).orElseThrow().active());
        assertEquals(200, call(OWNER, "POST /admin/products/{sku}/unarchive", sku, null).getStatusCode(),
                "on sale already: nothing to do");
        assertEquals(404, call(OWNER, "POST /admin/products/{sku}/unarchive", "NO-SUCH-PIECE", null).getStatusCode());

        var trail = new DynamoAuditTrail(aws.dynamo(), aws.physicalName("AdminAuditTable"), Clock.systemUTC())
                .of("PRODUCT#" + sku);
        assertEquals(List.of("product.created", "product.price_changed", "product.archived", "product.unarchived"),
                trail.stream().map(shop.core.admin.AdminAction::action).toList());
        assertEquals("owner@localhost.test", trail.get(1).actorName());
        assertTrue(trail.get(1).before().contains("12000") && trail.get(1).after().contains("13500"));
    }

    @Test
    void stockNeverDropsBelowWhatAnOpenCheckoutHoldsAndTheAnswerSaysWhatIsHeld() throws IOException {
        String sku = sku();
        assertEquals(201, call(OWNER, "POST /admin/products", null, product(sku, 7500, 3, false)).getStatusCode());
        var reservations = new StockReservations(new DynamoReservationStore(aws.dynamo(),
                aws.physicalName("CheckoutsTable"), aws.physicalName("ProductsTable"), Clock.systemUTC()), Clock.systemUTC());
        reservations.reserve(List.of(new ReservedLine(sku, 2)));

        var up = call(OWNER, "POST /admin/products/{sku}/stock", sku, "{\"delta\": 4}");
        assertEquals(200, up.getStatusCode(), up.getBody());
        assertEquals(Json.mapper().readTree("{\"sku\":\"" + sku + "\",\"stock\":7,\"held\":2,\"available\":5}"), json(up));

        var tooMany = call(OWNER, "POST /admin/products/{sku}/stock", sku, "{\"delta\": -6}");
        assertEquals(409, tooMany.getStatusCode());
        assertTrue(tooMany.getBody().contains("2 piece(s) of " + sku + " are held by open checkouts"), tooMany.getBody());
        assertEquals(5, products.find(sku).orElseThrow().stock(), "nothing written");

        var list = json(call(STAFF, "GET /admin/products", null, null));
        JsonNode listed = null;
        for (JsonNode product : list.get("products")) {
            if (product.get("sku").asText().equals(sku)) {
                listed = product;
            }
        }
        assertEquals(List.of(7, 2, 5), List.of(listed.get("stock").asInt(), listed.get("held").asInt(),
                listed.get("available").asInt()));
    }

    /** The page's "+" sent again with the same Idempotency-Key header (its answer was lost): the same answer, one move. */
    @Test
    void aStockChangeSentAgainWithItsIdempotencyKeyMovesTheStockOnce() throws IOException {
        String sku = sku();
        assertEquals(201, call(OWNER, "POST /admin/products", null, product(sku, 7500, 3, false)).getStatusCode());
        Map<String, String> key = Map.of("idempotency-key", "press-" + sku);

        var first = call(OWNER, "POST /admin/products/{sku}/stock", sku, "{\"delta\": 1}", key);
        var again = call(OWNER, "POST /admin/products/{sku}/stock", sku, "{\"delta\": 1}", key);

        assertEquals(200, again.getStatusCode(), again.getBody());
        assertEquals(json(first), json(again));
        assertEquals(4, products.find(sku).orElseThrow().stock());
        var badKey = call(OWNER, "POST /admin/products/{sku}/stock", sku, "{\"delta\": 1}",
                Map.of("idempotency-key", "x"));
        assertEquals(400, badKey.getStatusCode(), badKey.getBody());
        assertEquals(4, products.find(sku).orElseThrow().stock());
    }

    @Test
    void staffMayReadButNotChangePricesStockOrPhotos() throws IOException {
        String sku = sku();
        assertEquals(201, call(OWNER, "POST /admin/products", null, product(sku, 12000, 1)).getStatusCode());

        assertEquals(200, call(STAFF, "GET /admin/products", null, null).getStatusCode());
        assertEquals(403, call(STAFF, "PUT /admin/products/{sku}", sku, edit(1, 1)).getStatusCode());
        assertEquals(403, call(STAFF, "POST /admin/products/{sku}/stock", sku, "{\"delta\": -1}").getStatusCode());
        assertEquals(403, call(STAFF, "POST /admin/products/{sku}/archive", sku, null).getStatusCode());
        assertEquals(403, call(STAFF, "POST /admin/products/{sku}/unarchive", sku, null).getStatusCode());
        assertEquals(403, call(STAFF, "POST /admin/products/{sku}/images", sku,
                "{\"contentType\": \"image/png\", \"size\": 10}").getStatusCode());
        assertEquals(403, call(STAFF, "POST /admin/products", null, product(sku(), 1, 1)).getStatusCode());
        assertEquals(401, call(Map.of(), "GET /admin/products", null, null).getStatusCode());

        var stored = products.find(sku).orElseThrow();
        assertEquals(List.of(12000L, 1L), List.of(stored.price().amount(), (long) stored.stock()));
        assertTrue(stored.active());
    }

    @Test
    void aPhotoGoesStraightToTheImagesBucketThroughALinkSignedForItsTypeAndSize() throws Exception {
        String sku = sku();
        assertEquals(201, call(OWNER, "POST /admin/products", null, product(sku, 12000, 1)).getStatusCode());
        byte[] photo = java.nio.file.Files.readAllBytes(shop.commerce.testing.SampleEvents.repositoryRoot()
                .resolve("catalog/images/sample/ring-aria.jpg"));

        var answer = call(OWNER, "POST /admin/products/{sku}/images", sku,
                "{\"contentType\": \"image/jpeg\", \"size\": " + photo.length + "}");
        assertEquals(201, answer.getStatusCode(), answer.getBody());
        JsonNode upload = json(answer);
        URI url = URI.create(upload.get("uploadUrl").asText());
        String key = upload.get("key").asText();

        assertEquals(aws.endpoint(Service.S3).getPort(), url.getPort(), "straight to S3, not through the API");
        assertEquals("/" + aws.physicalName("ImagesBucket") + "/" + key, url.getPath());
        assertTrue(url.getQuery().contains("X-Amz-Expires=300"), url.getQuery());
        assertTrue(url.getQuery().contains("X-Amz-SignedHeaders=content-length;content-type;host"),
                "S3 refuses another type or size: " + url.getQuery());
        assertEquals("http://localhost:3000/_local/images/" + key, upload.get("imageUrl").asText());

        var put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).header("content-type", "image/jpeg")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(photo)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());
        try (var stored = aws.s3().getObject(b -> b.bucket(aws.physicalName("ImagesBucket")).key(key))) {
            assertArrayEquals(photo, stored.readAllBytes());
            assertEquals("image/jpeg", stored.response().contentType());
        }

        var named = call(OWNER, "PUT /admin/products/{sku}", sku, """
                {"version": 1, "name": "Piece", "description": "", "price": {"amount": 12000, "currency": "USD"},
                 "images": ["%s"], "oneOfAKind": true}""".formatted(upload.get("imageUrl").asText()));
        assertEquals(200, named.getStatusCode(), named.getBody());
        assertEquals(List.of(upload.get("imageUrl").asText()), products.find(sku).orElseThrow().images());
    }

    @Test
    void theSampleEventsAnswerAsApiGatewayWouldDeliverThem() throws IOException {
        var list = handler.handleRequest(shop.commerce.testing.SampleEvents.api("admin-catalog/list-products.json"), null);
        assertEquals(200, list.getStatusCode(), list.getBody());
        assertTrue(json(list).get("products").isArray());
        products.save(new shop.commerce.catalog.Product("EAR-COMET", "Comet studs", "", shop.commerce.Money.of(7500, "USD"),
                3, List.of(), true), false);
        var stock = handler.handleRequest(shop.commerce.testing.SampleEvents.api("admin-catalog/stock-delta.json"), null);
        assertEquals(200, stock.getStatusCode(), stock.getBody());
    }

    /**
     * An edit that leaves out the one-of-a-kind mark would unmark the piece, and "+" would then
     * sell a second one: 400 naming the field, nothing written. A price above Checkout's
     * 8-digit unit_amount is refused on creation and on an edit.
     */
    @Test
    void anEditWithoutTheOneOfAKindMarkOrAPriceStripeCannotChargeIsA400NamingTheField() throws IOException {
        String sku = sku();
        assertEquals(201, call(OWNER, "POST /admin/products", null, product(sku, 12000, 1)).getStatusCode());

        var unmarked = call(OWNER, "PUT /admin/products/{sku}", sku, """
                {"version": 1, "name": "Piece", "description": "Silver", "price": {"amount": 13500, "currency": "USD"},
                 "images": [], "taxCode": "txcd_99999999"}""");
        var tooDear = call(OWNER, "PUT /admin/products/{sku}", sku, edit(1, 100_000_000));
        var createdTooDear = call(OWNER, "POST /admin/products", null, product(sku(), 100_000_000, 1));

        assertEquals(400, unmarked.getStatusCode(), unmarked.getBody());
        assertEquals("oneOfAKind", json(unmarked).get("field").asText(), unmarked.getBody());
        assertEquals(400, tooDear.getStatusCode(), tooDear.getBody());
        assertEquals("price", json(tooDear).get("field").asText(), tooDear.getBody());
        assertEquals(400, createdTooDear.getStatusCode(), createdTooDear.getBody());
        var stored = products.find(sku).orElseThrow();
        assertTrue(stored.oneOfAKind(), "still one of a kind");
        assertEquals(12000, stored.price().amount(), "nothing written");
        assertEquals(200, call(OWNER, "PUT /admin/products/{sku}", sku, edit(1, 99_999_999)).getStatusCode());
    }

    @Test
    void anUnknownRouteOrBadBodyIsTheCallersErrorAndWritesNothing() throws IOException {
        assertEquals(404, call(OWNER, "DELETE /admin/products/{sku}", "X", null).getStatusCode());
        assertEquals(400, call(OWNER, "POST /admin/products", null, "{\"sku\": \"A\"}").getStatusCode());
        assertEquals(400, call(OWNER, "POST /admin/products/{sku}/stock", "X", "{\"delta\": 1.5}").getStatusCode());
        assertEquals(415, call(OWNER, "POST /admin/products/{sku}/stock", "X", null).getStatusCode());
    }

    private static String sku() {
        return "T-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    private static String product(String sku, long price, int stock) {
        return product(sku, price, stock, true);
    }

    private static String product(String sku, long price, int stock, boolean oneOfAKind) {
        return """
                {"sku": "%s", "name": "Piece", "description": "Silver", "price": {"amount": %d, "currency": "USD"},
                 "stock": %d, "images": [], "taxCode": "txcd_99999999", "oneOfAKind": %s}"""
                .formatted(sku, price, stock, oneOfAKind);
    }

    private static String edit(long version, long price) {
        return """
                {"version": %d, "name": "Piece", "description": "Silver", "price": {"amount": %d, "currency": "USD"},
                 "images": [], "taxCode": "txcd_99999999", "oneOfAKind": true}""".formatted(version, price);
    }

    private static JsonNode json(APIGatewayV2HTTPResponse response) throws IOException {
        return Json.mapper().readTree(response.getBody());
    }

    static APIGatewayV2HTTPResponse call(Map<String, String> claims, String routeKey, String sku, String body) {
        return call(claims, routeKey, sku, body, Map.of());
    }

    static APIGatewayV2HTTPResponse call(Map<String, String> claims, String routeKey, String sku, String body,
                                         Map<String, String> extraHeaders) {
        var event = new APIGatewayV2HTTPEvent();
        event.setRouteKey(routeKey);
        String method = routeKey.substring(0, routeKey.indexOf(' '));
        event.setRawPath(routeKey.substring(routeKey.indexOf(' ') + 1).replace("{sku}", sku == null ? "" : sku));
        if (sku != null) {
            event.setPathParameters(Map.of("sku", sku));
        }
        Map<String, String> headers = new HashMap<>(extraHeaders);
        if (body != null) {
            headers.put("content-type", "application/json");
            event.setBody(body);
        }
        event.setHeaders(headers);
        var http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod(method);
        var context = new APIGatewayV2HTTPEvent.RequestContext();
        context.setHttp(http);
        if (!claims.isEmpty()) {
            var jwt = new APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT();
            jwt.setClaims(claims);
            var authorizer = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
            authorizer.setJwt(jwt);
            context.setAuthorizer(authorizer);
        }
        event.setRequestContext(context);
        return handler.handleRequest(event, null);
    }
}
