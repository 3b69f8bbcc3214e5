package shop.local.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import shop.commerce.Money;
import shop.commerce.catalog.DynamoProductStore;
import shop.commerce.catalog.Product;
import shop.commerce.orders.DynamoOrderStore;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderStatus;
import shop.commerce.stats.DynamoOrderCounter;
import shop.local.stack.LocalAws;
import shop.local.stack.SentMail;
import shop.local.stack.StripeStandIn;

/** The storefront's and Stripe's side of the commerce end-to-end tests: HTTP to the local API server. */
final class ShopClient {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Where the owner's mail goes locally: ShopOwnerAddress is empty, so SenderAddress. */
    static final String OWNER = "shop@localhost.test";

    private final LocalAws aws;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    ShopClient(LocalAws aws, URI base) {
        this.aws = aws;
        this.base = base;
    }

    /** A new one-of-a-kind (or {@code stock}) piece in the catalog, with a SKU no other test uses. */
    String piece(int stock) {
        String sku = "E2E-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        products().save(new Product(sku, "Piece " + sku, "A test piece.", Money.of(18500, "USD"), stock,
                List.of("https://shop.example.com/images/" + sku + ".jpg"), true), true);
        return sku;
    }

    static String email() {
        return "buyer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    /** A checkout as a customer of their own makes it: from a loopback address no other checkout used. */
    HttpResponse<String> checkout(String sku, int quantity, String email) throws Exception {
        return checkoutFrom(LoopbackClient.newAddress(), sku, quantity, email);
    }

    /** A checkout from the source IP {@code from} (a loopback address): one client making several. */
    HttpResponse<String> checkoutFrom(String from, String sku, int quantity, String email) throws Exception {
        String body = "{\"items\":[{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}]"
                + (email == null ? "" : ",\"email\":\"" + email + "\"") + "}";
        return LoopbackClient.send(from, "POST", base.resolve("/checkout/sessions"),
                Map.of("Content-Type", "application/json", "Origin", "http://localhost:3000"), body);
    }

    /** A Checkout Session for one piece; returns its id (and asserts nothing: callers do). */
    String startCheckout(String sku, String email) throws Exception {
        HttpResponse<String> response = checkout(sku, 1, email);
        if (response.statusCode() != 201) {
            throw new AssertionError("checkout answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).get("id").asText();
    }

    /** A Checkout Session for one piece of each of {@code skus} (a cart of several lines); returns its id. */
    String startCheckout(List<String> skus, String email) throws Exception {
        String items = skus.stream().map(sku -> "{\"sku\":\"" + sku + "\",\"quantity\":1}").collect(Collectors.joining(","));
        HttpResponse<String> response = LoopbackClient.send(LoopbackClient.newAddress(), "POST",
                base.resolve("/checkout/sessions"), Map.of("Content-Type", "application/json", "Origin",
                        "http://localhost:3000"), "{\"items\":[" + items + "],\"email\":\"" + email + "\"}");
        if (response.statusCode() != 201) {
            throw new AssertionError("checkout answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).get("id").asText();
    }

    /** What the customer does on the pay page: a form POST, answered by a redirect. */
    HttpResponse<String> onPayPage(String sessionId, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(base.resolve(StripePayPage.PREFIX + sessionId))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** {@link #paidOrder(String, String)} by Ada Lovelace. */
    String paidOrder(String email) throws Exception {
        return paidOrder(email, "Ada Lovelace");
    }

    /**
     * A paid order made as a customer makes it: a checkout of a new piece, the pay page's card form
     * filled in by {@code name} (303), the webhook (PAID), the order mails (the queue drained); its id.
     */
    String paidOrder(String email, String name) throws Exception {
        String id = startCheckout(piece(1), email);
        HttpResponse<String> paid = payByCard(id, name);
        if (paid.statusCode() != 303 || order(id).status() != OrderStatus.PAID) {
            throw new AssertionError("the pay page answered " + paid.statusCode() + ", the order is " + order(id).status());
        }
        awaitQueueDrained();
        return id;
    }

    HttpResponse<String> payByCard(String sessionId) throws Exception {
        return payByCard(sessionId, "Ada Lovelace");
    }

    /** The pay page's card form filled in by {@code name}, with Stripe's test card. */
    HttpResponse<String> payByCard(String sessionId, String name) throws Exception {
        Map<String, String> form = new java.util.LinkedHashMap<>();
        form.put("action", "pay");
        form.put("method", "card");
        form.put("name", name);
        form.put("line1", "12 Harbor Road");
        form.put("postal_code", "04101");
        form.put("city", "Portland");
        form.put("state", "ME");
        form.put("country", "US");
        form.put("card_number", "4242 4242 4242 4242");
        form.put("card_expiry", "12 / 34");
        form.put("card_cvc", "123");
        return onPayPage(sessionId, form);
    }

    HttpResponse<String> webhook(StripeStandIn.SignedEvent event) throws Exception {
        return webhook(event.payload(), event.signature());
    }

    HttpResponse<String> webhook(String payload, String signature) throws Exception {
        return send(webhookRequest(payload, signature));
    }

    HttpRequest webhookRequest(String payload, String signature) {
        return HttpRequest.newBuilder(base.resolve("/stripe/webhook"))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Stripe-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8)).build();
    }

    HttpClient http() {
        return http;
    }

    HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    /**
     * A back-office call: {@code Authorization: Bearer <token>} (none when {@code token} is null),
     * a JSON body when {@code json} is not null.
     */
    HttpResponse<String> admin(String method, String path, String token, String json) throws Exception {
        return admin(method, path, token, json, Map.of());
    }

    /** A back-office call with the bearer token and extra headers (the refund form's Idempotency-Key). */
    HttpResponse<String> admin(String method, String path, String token, String json, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).method(method, json == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        return send(request);
    }

    /** A back-office GET with the bearer token. */
    HttpResponse<String> admin(String path, String token) throws Exception {
        return admin("GET", path, token, null);
    }

    /**
     * A customer signed in to their account as the account page does it: a code asked for
     * {@code email} (202), the newest code mailed to it, verified (200); the session's token.
     */
    String signIn(String email) throws Exception {
        HttpResponse<String> asked = admin("POST", "/account/sign-in", null, "{\"email\":\"" + email + "\"}");
        if (asked.statusCode() != 202) {
            throw new AssertionError("asking for a sign-in code answered " + asked.statusCode() + ": " + asked.body());
        }
        SentMail code = aws.mailbox().to(email).stream().filter(m -> m.subject().contains("sign-in code"))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no sign-in code mailed to " + email));
        HttpResponse<String> verified = admin("POST", "/account/sign-in/verify", null,
                "{\"email\":\"" + email + "\",\"code\":\"" + AccountBrowserTest.code(code.text()) + "\"}");
        if (verified.statusCode() != 200) {
            throw new AssertionError("the sign-in code's check answered " + verified.statusCode() + ": " + verified.body());
        }
        return json(verified).get("token").asText();
    }

    String availability(String sku) throws Exception {
        return JSON.readTree(get("/products/" + sku).body()).get("availability").asText();
    }

    Order order(String sessionId) {
        return orders().find(sessionId).orElseThrow(() -> new AssertionError("no order " + sessionId));
    }

    DynamoOrderStore orders() {
        return new DynamoOrderStore(aws.dynamo(), aws.physicalName("OrdersTable"), Clock.systemUTC());
    }

    DynamoProductStore products() {
        return new DynamoProductStore(aws.dynamo(), aws.physicalName("ProductsTable"), Clock.systemUTC());
    }

    long ordersToday() {
        return new DynamoOrderCounter(aws.dynamo(), aws.physicalName("StatsTable")).orders(LocalDate.now(ZoneOffset.UTC));
    }

    List<SentMail> mailsTo(String address, String containing) {
        return aws.mailbox().to(address).stream()
                .filter(m -> containing == null || m.subject().contains(containing) || m.text().contains(containing))
                .toList();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Until the notification queue has nothing visible or in flight: every OrderPaid was handled. */
    void awaitQueueDrained() throws InterruptedException {
        awaitQueueDrained(aws, "OrderNotificationQueue");
    }

    /**
     * Until the newsletter signup queue has nothing visible or in flight: every signup the form
     * queued was handled by the signup function (its mail sent, or nothing to send).
     */
    static void awaitSignupsHandled(LocalAws aws) throws InterruptedException {
        awaitQueueDrained(aws, "NewsletterSignupQueue");
    }

    /** Until the template's queue {@code logicalId} has nothing visible or in flight. */
    static void awaitQueueDrained(LocalAws aws, String logicalId) throws InterruptedException {
        String queue = aws.queueUrl(aws.template(), logicalId);
        await("the queue " + logicalId + " to drain", () -> {
            var attributes = aws.sqs().getQueueAttributes(b -> b.queueUrl(queue).attributeNamesWithStrings(
                    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
            return "0".equals(attributes.get("ApproximateNumberOfMessages"))
                    && "0".equals(attributes.get("ApproximateNumberOfMessagesNotVisible"));
        });
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return send(request.timeout(Duration.ofSeconds(60)).build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
