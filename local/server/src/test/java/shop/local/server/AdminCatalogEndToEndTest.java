package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.core.admin.AdminAction;
import shop.core.dynamo.DynamoAuditTrail;
import shop.local.stack.LocalAdmins;
import shop.local.stack.LocalAws;

/**
 * The back office's catalog through the local API server and its JWT authorizer, with tokens of
 * the local owner and staff signed in through the local Cognito: products, photos uploaded
 * straight to the images bucket, stock against open checkouts, archiving and putting back on sale,
 * and prices.
 */
@ExtendWith(RunningShopExtension.class)
// Photo URLs point at this server's stand-in for CloudFront, as ./local/run points them at its own.
@ShopEnvironment(parameters = "ImagesBaseUrl={origin}" + LocalApiServer.IMAGES)
class AdminCatalogEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @ShopFixture private static RunningShop running;
    @ShopFixture private static LocalAws aws;
    private static String owner;
    private static String staff;

    @BeforeAll
    static void start() {
        owner = running.adminToken(LocalAdmins.OWNER.username());
        staff = running.adminToken(LocalAdmins.STAFF.username());
    }

    @Test
    void theOwnerAddsAProductWithAPhotoAndTheStorefrontShowsIt() throws Exception {
        String sku = sku();
        assertEquals(201, create(sku, 24000, 1, true).statusCode());
        byte[] photo = Files.readAllBytes(aws.template().file().getParent()
                .resolve("catalog/images/sample/neck-lantern.jpg"));

        JsonNode upload = json(shop().admin("POST", "/admin/products/" + sku + "/images", owner,
                "{\"contentType\":\"image/jpeg\",\"size\":" + photo.length + "}"), 201);
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(upload.get("uploadUrl").asText()))
                .header("content-type", "image/jpeg").PUT(HttpRequest.BodyPublishers.ofByteArray(photo)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), "straight to the images bucket: " + put.body());
        String imageUrl = upload.get("imageUrl").asText();
        json(shop().admin("PUT", "/admin/products/" + sku, owner, edit(1, 24000, List.of(imageUrl), true)), 200);

        JsonNode listed = storefrontProduct(sku);
        assertEquals(List.of(imageUrl), JSON.convertValue(listed.get("images"), List.class));
        HttpResponse<byte[]> served = HTTP.send(HttpRequest.newBuilder(URI.create(imageUrl)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, served.statusCode());
        assertEquals("image/jpeg", served.headers().firstValue("content-type").orElse(""));
        assertArrayEquals(photo, served.body(), "the photo the owner uploaded");
    }

    @Test
    void staffMayListButGet403OnPricesStockAndPhotos() throws Exception {
        String sku = sku();
        assertEquals(201, create(sku, 9000, 3, false).statusCode());

        assertEquals(200, shop().admin("/admin/products", staff).statusCode());
        assertEquals(403, shop().admin("PUT", "/admin/products/" + sku, staff, edit(1, 1, List.of(), false)).statusCode());
        assertEquals(403, shop().admin("POST", "/admin/products/" + sku + "/stock", staff, "{\"delta\":-3}").statusCode());
        assertEquals(403, shop().admin("POST", "/admin/products/" + sku + "/images", staff,
                "{\"contentType\":\"image/png\",\"size\":10}").statusCode());
        assertEquals(401, shop().admin("POST", "/admin/products/" + sku + "/stock", null, "{\"delta\":-3}").statusCode());

        var stored = shop().products().find(sku).orElseThrow();
        assertEquals(9000, stored.price().amount());
        assertEquals(3, stored.stock());
    }

    @Test
    void anArchivedProductLeavesTheStorefrontAndCheckoutRefusesIt() throws Exception {
        String sku = sku();
        assertEquals(201, create(sku, 9000, 2, false).statusCode());
        assertEquals(sku, storefrontProduct(sku).get("sku").asText());

        JsonNode archived = json(shop().admin("POST", "/admin/products/" + sku + "/archive", owner, "{}"), 200);

        assertFalse(archived.get("active").asBoolean());
        assertEquals(null, storefrontProduct(sku));
        assertEquals(404, shop().get("/products/" + sku).statusCode());
        HttpResponse<String> checkout = shop().checkout(sku, 1, ShopClient.email());
        assertEquals(400, checkout.statusCode(), checkout.body());
        assertEquals(2, shop().products().find(sku).orElseThrow().stock(), "nothing held");
        assertTrue(shop().products().find(sku).isPresent(), "old orders still name it");
    }

    /**
     * A seasonal piece: archived, its description fixed while it is off sale, then put back on
     * sale by the owner (staff may not): the storefront lists it again and checkout sells it.
     */
    @Test
    void anArchivedProductEditedAndPutBackOnSaleIsListedAndSoldAgainAndTheTrailSaysBoth() throws Exception {
        String sku = sku();
        assertEquals(201, create(sku, 9000, 2, false).statusCode());
        json(shop().admin("POST", "/admin/products/" + sku + "/archive", owner, "{}"), 200);
        assertEquals(404, shop().get("/products/" + sku).statusCode());

        JsonNode fixed = json(shop().admin("PUT", "/admin/products/" + sku, owner, JSON.writeValueAsString(Map.of(
                "version", 2, "name", "Piece", "description", "Back for the winter.",
                "price", Map.of("amount", 9000, "currency", "USD"), "images", List.of(), "oneOfAKind", false))), 200);
        assertFalse(fixed.get("active").asBoolean(), "the edit keeps it archived");
        assertEquals(404, shop().get("/products/" + sku).statusCode());
        assertEquals(403, shop().admin("POST", "/admin/products/" + sku + "/unarchive", staff, "{}").statusCode());
        assertEquals(404, shop().get("/products/" + sku).statusCode(), "staff put nothing back");
        assertEquals(404, shop().admin("POST", "/admin/products/NO-SUCH-PIECE/unarchive", owner, "{}").statusCode());

        JsonNode back = json(shop().admin("POST", "/admin/products/" + sku + "/unarchive", owner, "{}"), 200);
        json(shop().admin("POST", "/admin/products/" + sku + "/unarchive", owner, "{}"), 200);

        assertTrue(back.get("active").asBoolean());
        JsonNode listed = storefrontProduct(sku);
        assertEquals("Back for the winter.", listed == null ? null : listed.get("description").asText());
        assertEquals(200, shop().get("/products/" + sku).statusCode());
        HttpResponse<String> checkout = shop().checkout(sku, 1, ShopClient.email());
        assertEquals(201, checkout.statusCode(), checkout.body());
        assertEquals(1, shop().products().find(sku).orElseThrow().stock(), "one piece held by the checkout");
        List<AdminAction> lines = new DynamoAuditTrail(aws.dynamo(), aws.physicalName("AdminAuditTable"),
                Clock.systemUTC()).of("PRODUCT#" + sku);
        assertEquals(List.of("product.created", "product.archived", "product.updated", "product.unarchived"),
                lines.stream().map(AdminAction::action).toList(), "put back twice: one line");
        assertEquals(List.of("{\"active\":false}", "{\"active\":true}"),
                List.of(lines.get(3).before(), lines.get(3).after()));
        assertEquals(lines.get(0).actor(), lines.get(3).actor(), "the owner who created it put it back");
    }

    @Test
    void stockCannotDropBelowWhatAnOpenCheckoutHoldsAndTheAnswerSaysHowMany() throws Exception {
        String sku = sku();
        assertEquals(201, create(sku, 7500, 3, false).statusCode());
        assertEquals(201, shop().checkout(sku, 2, ShopClient.email()).statusCode());

        HttpResponse<String> refused = shop().admin("POST", "/admin/products/" + sku + "/stock", owner, "{\"delta\":-2}");
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(json(refused, 409).get("detail").asText().startsWith("2 piece(s) of " + sku + " are held by open checkouts"),
                refused.body());

        JsonNode level = json(shop().admin("POST", "/admin/products/" + sku + "/stock", owner, "{\"delta\":-1}"), 200);
        assertEquals(List.of(2, 2, 0), List.of(level.get("stock").asInt(), level.get("held").asInt(),
                level.get("available").asInt()));
        assertEquals(0, shop().products().find(sku).orElseThrow().stock());
    }

    /**
     * The bug the owner met: a checkout holds the one-of-a-kind piece, so 0 are for sale. The
     * list says the piece is in a checkout; "+" is refused (409 naming the held piece) instead of
     * putting a second piece on sale; when the checkout expires (Stripe's event through the
     * webhook) the piece is back for sale once: 1 for sale, none held, and "+" still refused.
     */
    @Test
    void aOneOfAKindPieceInAnOpenCheckoutIsShownHeldRefusesPlusAndComesBackOnceWhenTheCheckoutExpires() throws Exception {
        String sku = sku();
        assertEquals(201, create(sku, 24000, 1, true).statusCode());
        HttpResponse<String> checkout = shop().checkout(sku, 1, ShopClient.email());
        assertEquals(201, checkout.statusCode(), checkout.body());
        String session = ShopClient.json(checkout).get("id").asText();

        JsonNode listed = listed(sku);
        assertEquals(List.of(1, 1, 0), List.of(listed.get("stock").asInt(), listed.get("held").asInt(),
                listed.get("available").asInt()), listed.toString());
        HttpResponse<String> plus = shop().admin("POST", "/admin/products/" + sku + "/stock", owner, "{\"delta\":1}");
        assertEquals(409, plus.statusCode(), plus.body());
        assertTrue(json(plus, 409).get("detail").asText().contains("is one of a kind and its piece is held by an open"
                + " checkout (1 held, 0 for sale)"), plus.body());
        assertEquals(List.of(0, 1), stockAndHeld(sku), "nothing written");

        assertEquals(200, shop().webhook(aws.stripe().expire(session)).statusCode());

        assertEquals(List.of(1, 0), stockAndHeld(sku), "back for sale once, nothing held");
        listed = listed(sku);
        assertEquals(List.of(1, 0, 1), List.of(listed.get("stock").asInt(), listed.get("held").asInt(),
                listed.get("available").asInt()), listed.toString());
        assertEquals(409, shop().admin("POST", "/admin/products/" + sku + "/stock", owner, "{\"delta\":1}").statusCode(),
                "still one piece at most");
        assertEquals("in_stock", shop().availability(sku));
        assertEquals(List.of(1, 0), stockAndHeld(sku));
    }

    private static JsonNode listed(String sku) throws Exception {
        for (JsonNode product : json(shop().admin("/admin/products", staff), 200).get("products")) {
            if (product.get("sku").asText().equals(sku)) {
                return product;
            }
        }
        throw new AssertionError(sku + " is not listed");
    }

    /** The product item's {@code stock} and {@code held} as stored (0 held when it has none). */
    private static List<Integer> stockAndHeld(String sku) {
        var item = aws.dynamo().getItem(b -> b.tableName(aws.physicalName("ProductsTable"))
                .key(shop.commerce.catalog.DynamoProductStore.key(sku)).consistentRead(true)).item();
        return List.of(Integer.parseInt(item.get("stock").n()), shop.commerce.catalog.DynamoProductStore.held(item));
    }

    @Test
    void aPriceChangeReachesNewCheckoutsOnlyAndTheOpenOneIsPaidAtItsPrice() throws Exception {
        String sku = sku();
        assertEquals(201, create(sku, 10000, 3, false).statusCode());
        String before = shop().startCheckout(sku, "price-" + ShopClient.email());

        json(shop().admin("PUT", "/admin/products/" + sku, owner, edit(1, 15000, List.of(), false)), 200);
        String after = shop().startCheckout(sku, "price-" + ShopClient.email());

        assertEquals(10000, aws.stripe().session(before).orElseThrow().items().get(0).amount());
        assertEquals(15000, aws.stripe().session(after).orElseThrow().items().get(0).amount());
        assertEquals(303, shop().payByCard(before).statusCode());
        assertEquals(10000, shop().order(before).totals().subtotal().amount(), "paid at the price it was opened with");
    }

    private static ShopClient shop() {
        return running.shop();
    }

    private static String sku() {
        return "E2E-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    private static HttpResponse<String> create(String sku, long price, int stock, boolean oneOfAKind) throws Exception {
        return shop().admin("POST", "/admin/products", owner, """
                {"sku": "%s", "name": "Piece %s", "description": "Made for a test.",
                 "price": {"amount": %d, "currency": "USD"}, "stock": %d, "oneOfAKind": %s}"""
                .formatted(sku, sku, price, stock, oneOfAKind));
    }

    private static String edit(long version, long price, List<String> images, boolean oneOfAKind) throws Exception {
        return JSON.writeValueAsString(Map.of("version", version, "name", "Piece", "description", "Made for a test.",
                "price", Map.of("amount", price, "currency", "USD"), "images", images, "oneOfAKind", oneOfAKind));
    }

    private static JsonNode storefrontProduct(String sku) throws Exception {
        for (JsonNode product : JSON.readTree(shop().get("/products").body()).get("products")) {
            if (product.get("sku").asText().equals(sku)) {
                return product;
            }
        }
        return null;
    }

    private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }
}
