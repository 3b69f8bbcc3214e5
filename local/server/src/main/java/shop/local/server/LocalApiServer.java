package shop.local.server;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import shop.local.stack.CfnTemplate;
import shop.local.stack.IntrinsicResolver;
import shop.local.stack.LocalAws;
import shop.local.stack.Mailbox;
import shop.local.stack.SentMail;
import shop.local.stack.Service;

/**
 * The HTTP API of template.yaml on localhost: every HttpApi event of every function becomes a
 * route; a request becomes the API Gateway v2 event Lambda would receive, and the function's
 * handler runs in this JVM. A route with an authorizer ({@code Auth.Authorizer}) gets the
 * template's JWT authorizer first, as on API Gateway ({@link JwtAuthorizers}): no handler runs
 * for a request it refuses. Local-only routes under {@code /_local/} show the sent mail, run a
 * scheduled function now and show the local back-office users' current TOTP codes.
 */
public final class LocalApiServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEDULES = "/_local/schedules/";
    /** The images bucket, served as the template's CloudFront distribution serves it (ImagesBaseUrl locally). */
    public static final String IMAGES = "/_local/images";
    private static final java.util.regex.Pattern IMAGE_KEY =
            java.util.regex.Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\\.(jpg|png|webp)");
    private static final String TOTP = "/_local/totp/";
    private static final String ADMIN_PAGE = "/admin/";
    private static final String COGNITO_PROXY = "/_local/cognito/";
    private static final java.net.http.HttpClient PROXY = java.net.http.HttpClient.newHttpClient();

    private final LocalFunctions functions;
    private final Routes routes;
    private final JwtAuthorizers authorizers;
    private final Optional<Cors> cors;
    private final Optional<Storefront> storefront;
    private final Optional<Storefront> adminPage;
    private final HttpServer server;
    private final ExecutorService executor;
    private final LocalSchedules schedules;
    private volatile StripePayPage payPage;

    private LocalApiServer(LocalFunctions functions, HttpServer server, ExecutorService executor, Clock clock) {
        this.functions = functions;
        this.routes = Routes.from(functions.template());
        this.storefront = Storefront.beside(functions.template().file());
        this.adminPage = adminPage(functions);
        IntrinsicResolver resolver = functions.resolver();
        this.authorizers = JwtAuthorizers.from(functions.template(), resolver,
                issuer -> JwtAuthorizers.cognitoJwks(functions.aws().endpoint(Service.COGNITO_IDP), issuer), clock);
        routes.all().stream().filter(r -> r.authorizer() != null && !authorizers.defines(r.authorizer()))
                .findFirst().ifPresent(r -> {
                    throw new IllegalStateException("Route " + r.routeKey() + " names authorizer " + r.authorizer()
                            + ", which the HttpApi's Auth.Authorizers does not define: " + authorizers.names());
                });
        this.cors = Cors.from(functions.template(), resolver);
        this.server = server;
        this.executor = executor;
        this.schedules = new LocalSchedules(functions);
    }

    /** Serves template.yaml's API on {@code port} (0 picks a free one), with local parameter values. */
    public static LocalApiServer start(LocalAws aws, int port) {
        return start(new LocalFunctions(aws, aws.template(), Map.of()), port);
    }

    /** Serves the API of {@code functions.template()} (a test can pass a fixture) on {@code port}. */
    public static LocalApiServer start(LocalFunctions functions, int port) {
        return start(functions, port, Clock.systemUTC());
    }

    /** With the clock the authorizer checks expiry against (a test's clock, to present a token after it expired). */
    static LocalApiServer start(LocalFunctions functions, int port, Clock authorizerClock) {
        HttpServer server;
        try {
            // Loopback only: this server holds throwaway credentials and serves whoever asks.
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (BindException e) {
            throw new IllegalStateException("Port " + port + " is in use; choose another with PORT=...", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "local-api");
            thread.setDaemon(true);
            return thread;
        });
        LocalApiServer api;
        try {
            api = new LocalApiServer(functions, server, executor, authorizerClock);
        } catch (RuntimeException e) {
            executor.shutdownNow();
            throw e;
        }
        server.createContext("/", api::handle);
        server.setExecutor(executor);
        server.start();
        // Links in mail point here, as a deployed stack's point at its PublicApiUrl.
        functions.servedAt(api.baseUri());
        // Checkout Sessions the Stripe stand-in creates from now on send the customer here.
        functions.aws().payPageBase(api.baseUri());
        // ...and what Stripe sends after an API call (a refund's charge.refunded) comes to this server's webhook.
        functions.aws().stripeWebhooks(event -> api.payPage().deliver(event));
        return api;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL, such as http://localhost:3000. */
    public URI baseUri() {
        return URI.create("http://localhost:" + port());
    }

    /** The route keys served, such as "POST /newsletter/subscriptions". */
    public List<String> routeKeys() {
        return routes.all().stream().map(Routes.Route::routeKey).toList();
    }

    /** The template's scheduled functions, run here on request; the local run also follows their schedules. */
    public LocalSchedules schedules() {
        return schedules;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        schedules.close();
    }

    private void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        String label = exchange.getRequestMethod() + " (no route)";
        int status = 500;
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            if (path.equals("/_local") || path.startsWith("/_local/")) {
                label = exchange.getRequestMethod() + " " + path;
                status = handleLocal(exchange, path, body);
                return;
            }
            String origin = exchange.getRequestHeaders().getFirst("Origin");
            Optional<java.nio.file.Path> adminFile = adminFile(exchange.getRequestMethod(), path);
            if (adminFile.isPresent() || adminConfig(exchange.getRequestMethod(), path)) {
                label = "admin page " + path;
                status = adminFile.isPresent() ? adminPage.orElseThrow().serve(exchange, adminFile.get())
                        : json(exchange, 200, adminConfig());
                return;
            }
            if (cors.isPresent() && Cors.isPreflight(exchange.getRequestMethod(), exchange.getRequestHeaders())) {
                label = "OPTIONS preflight";
                cors.get().preflight(exchange.getRequestHeaders(), exchange.getResponseHeaders());
                status = send(exchange, 204, new byte[0]);
                return;
            }
            Routes.Match match = routes.match(exchange.getRequestMethod(), path);
            if (match instanceof Routes.Found found) {
                label = found.route().routeKey();
                status = invoke(exchange, found, body, origin);
            } else if (match instanceof Routes.MethodNotAllowed notAllowed) {
                label = exchange.getRequestMethod() + " (method not allowed)";
                exchange.getResponseHeaders().set("Allow", String.join(", ", notAllowed.allowed()));
                cors.ifPresent(c -> c.decorate(origin, exchange.getResponseHeaders()));
                status = problem(exchange, 405, "Method Not Allowed", exchange.getRequestMethod()
                        + " is not allowed here; allowed: " + String.join(", ", notAllowed.allowed()));
            } else if (staticFile(exchange.getRequestMethod(), path).isPresent()) {
                label = "storefront " + path;
                status = storefront.orElseThrow().serve(exchange, staticFile(exchange.getRequestMethod(), path).get());
            } else {
                cors.ifPresent(c -> c.decorate(origin, exchange.getResponseHeaders()));
                status = problem(exchange, 404, "Not Found", "No route matches " + exchange.getRequestMethod()
                        + " " + path);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("local: " + label + " failed: " + e);
        } finally {
            System.err.printf("local: %s -> %d (%d ms)%n", label, status, (System.nanoTime() - started) / 1_000_000);
        }
    }

    /**
     * The admin page (local/admin) at {@code /admin/}: {@code /admin/}, and files with an
     * extension directly under it ({@code index.html}, {@code admin.js}, {@code vendor/...}).
     * They are looked at before the API routes, so no {@code /admin/*} API route may end in
     * a file extension. The page calls the local Cognito through {@code /_local/cognito/}, and
     * PUTs photos straight to the images bucket's presigned URLs: its CSP's connect-src names
     * the local S3 (s3rver) too, as the deployed page's must name the bucket's S3 endpoint.
     */
    private static Optional<Storefront> adminPage(LocalFunctions functions) {
        java.nio.file.Path dir = functions.template().file().getParent().resolve("local/admin");
        if (!java.nio.file.Files.isDirectory(dir) || functions.template().resourcesOfType(CfnTemplate.USER_POOL).isEmpty()) {
            return Optional.empty();
        }
        URI s3 = functions.aws().endpoint(Service.S3);
        return Optional.of(new Storefront(dir, Storefront.CSP.replace("connect-src 'self'",
                "connect-src 'self' " + s3.getScheme() + "://" + s3.getRawAuthority())));
    }

    private Optional<java.nio.file.Path> adminFile(String method, String path) {
        if (!method.equals("GET") && !method.equals("HEAD") || adminPage.isEmpty() || !path.startsWith(ADMIN_PAGE)) {
            return Optional.empty();
        }
        String rest = path.substring(ADMIN_PAGE.length() - 1);
        if (!rest.equals("/") && !rest.matches("/[A-Za-z0-9_./-]*\\.[a-z]+")) {
            return Optional.empty();
        }
        return adminPage.get().file(rest);
    }

    private boolean adminConfig(String method, String path) {
        return method.equals("GET") && adminPage.isPresent() && path.equals(ADMIN_PAGE + "config.json");
    }

    /**
     * What the admin page needs to sign in and call the API: on AWS the deployer writes the
     * same file from the stack's AdminPageConfig output (docs/back-office.md).
     */
    private Map<String, Object> adminConfig() {
        var admins = functions.aws().admins();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("apiUrl", baseUri().toString());
        config.put("region", admins.region());
        config.put("userPoolId", admins.poolId());
        config.put("clientId", admins.clientId());
        // The local Cognito through this server (same origin; see cognitoProxy). On AWS: empty, the library's default.
        config.put("cognitoEndpoint", baseUri().resolve(COGNITO_PROXY).toString());
        return config;
    }

    /** A storefront page for GET and HEAD paths no API route claims. */
    private Optional<java.nio.file.Path> staticFile(String method, String path) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return Optional.empty();
        }
        return storefront.flatMap(front -> front.file(path));
    }

    private int invoke(HttpExchange exchange, Routes.Found found, byte[] body, String origin) throws IOException {
        String functionId = found.route().functionId();
        JwtAuthorizers.Allowed allowed = null;
        if (found.route().authorizer() != null) {
            JwtAuthorizers.Outcome outcome = authorizers.authorize(found.route().authorizer(), found.route().scopes(),
                    exchange.getRequestHeaders());
            if (outcome instanceof JwtAuthorizers.Denied denied) {
                // API Gateway's own answer; the function never runs.
                exchange.getResponseHeaders().set("www-authenticate", denied.wwwAuthenticate());
                cors.ifPresent(c -> c.decorate(origin, exchange.getResponseHeaders()));
                return json(exchange, denied.status(), Map.of("message", denied.message()));
            }
            allowed = (JwtAuthorizers.Allowed) outcome;
        }
        APIGatewayV2HTTPEvent event = ApiGatewayMapping.toEvent(exchange, found, IntrinsicResolver.LOCAL_ACCOUNT_ID, body);
        if (allowed != null) {
            ApiGatewayMapping.setJwt(event, allowed.claims(), allowed.scopes());
        }
        Object result;
        try {
            result = functions.invoke(functionId, event);
        } catch (Throwable e) {
            // Type and message only: a stack trace of a handler can carry request data into the log.
            System.err.println("local: " + functionId + " threw " + e.getClass().getName() + ": " + e.getMessage());
            cors.ifPresent(c -> c.decorate(origin, exchange.getResponseHeaders()));
            return problem(exchange, 500, "Internal Server Error",
                    functionId + " failed with " + e.getClass().getName() + " (see the local server's log)");
        }
        if (!(result instanceof APIGatewayV2HTTPResponse response) || response.getStatusCode() < 100) {
            cors.ifPresent(c -> c.decorate(origin, exchange.getResponseHeaders()));
            return problem(exchange, 500, "Internal Server Error", functionId
                    + " returned no APIGatewayV2HTTPResponse with a status code");
        }
        byte[] out = ApiGatewayMapping.applyResponse(response, exchange.getResponseHeaders());
        cors.ifPresent(c -> c.decorate(origin, exchange.getResponseHeaders()));
        return send(exchange, response.getStatusCode(), out);
    }

    private int handleLocal(HttpExchange exchange, String path, byte[] body) throws IOException {
        String method = exchange.getRequestMethod();
        if (path.startsWith(StripePayPage.PREFIX)) {
            return payPage().handle(exchange, path, body);
        }
        Mailbox mailbox = functions.aws().mailbox();
        if (path.equals("/_local/mail") && method.equals("GET")) {
            String query = exchange.getRequestURI().getQuery();
            String to = query != null && query.startsWith("to=") ? query.substring(3) : null;
            List<SentMail> mails = to == null ? mailbox.all() : mailbox.to(to);
            return json(exchange, 200, Map.of("emails", mails.stream().map(LocalApiServer::mailJson).toList()));
        }
        if (path.equals("/_local/mail") && method.equals("DELETE")) {
            mailbox.clear();
            return send(exchange, 204, new byte[0]);
        }
        if (path.equals(COGNITO_PROXY) && method.equals("POST")) {
            return cognitoProxy(exchange, body);
        }
        if (path.startsWith(IMAGES + "/") && (method.equals("GET") || method.equals("HEAD"))) {
            return image(exchange, path.substring(IMAGES.length() + 1), method.equals("HEAD"));
        }
        if (path.startsWith(TOTP) && method.equals("GET")) {
            return currentCode(exchange, Routes.decode(path.substring(TOTP.length())));
        }
        if (path.startsWith(SCHEDULES) && method.equals("POST")) {
            return runScheduled(exchange, path.substring(SCHEDULES.length()));
        }
        if ((path.equals("/_local") || path.equals("/_local/")) && method.equals("GET")) {
            Map<String, Object> index = new LinkedHashMap<>();
            index.put("routes", routeKeys());
            index.put("mail", baseUri().resolve("/_local/mail").toString());
            index.put("mailbox", mailboxUrl());
            index.put("schedules", schedules.schedules().stream().map(LocalSchedules.Schedule::toString).toList());
            return json(exchange, 200, index);
        }
        return problem(exchange, 404, "Not Found", "Local routes: GET /_local/, GET and DELETE /_local/mail,"
                + " GET /_local/images/{key},"
                + " GET and POST /_local/stripe/pay/{session id}, POST /_local/schedules/{scheduled function},"
                + " GET /_local/totp/{local back-office user}");
    }

    /**
     * The local Cognito, for the admin page on this origin. It passes calls through, mending one
     * place where moto differs from Cognito: NEW_PASSWORD_REQUIRED comes without the
     * {@code userAttributes} and {@code requiredAttributes} challenge parameters Cognito always
     * sends (and amazon-cognito-identity-js parses).
     */
    private int cognitoProxy(HttpExchange exchange, byte[] body) throws IOException {
        var request = java.net.http.HttpRequest.newBuilder(functions.aws().endpoint(Service.COGNITO_IDP).resolve("/"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : List.of("Content-Type", "X-Amz-Target", "X-Amz-User-Agent")) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        java.net.http.HttpResponse<byte[]> answer;
        try {
            answer = PROXY.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return problem(exchange, 502, "Bad Gateway", "interrupted");
        }
        byte[] out = answer.body();
        var tree = out.length > 0 ? JSON.readTree(out) : null;
        if (tree instanceof com.fasterxml.jackson.databind.node.ObjectNode object
                && "NEW_PASSWORD_REQUIRED".equals(object.path("ChallengeName").asText())
                && object.path("ChallengeParameters") instanceof com.fasterxml.jackson.databind.node.ObjectNode parameters) {
            if (!parameters.has("userAttributes")) {
                parameters.put("userAttributes", "{}");
            }
            if (!parameters.has("requiredAttributes")) {
                parameters.put("requiredAttributes", "[]");
            }
            out = JSON.writeValueAsBytes(object);
        }
        exchange.getResponseHeaders().set("Content-Type",
                answer.headers().firstValue("Content-Type").orElse("application/x-amz-json-1.1"));
        return send(exchange, answer.statusCode(), out);
    }

    /**
     * What the local back-office user's authenticator app shows now: for people signing in to
     * the admin page by hand without an app. Only the local users; nothing like it is deployed.
     */
    private int currentCode(HttpExchange exchange, String username) throws IOException {
        var admins = functions.aws().admins();
        if (admins.admins().stream().noneMatch(a -> a.username().equals(username))) {
            return problem(exchange, 404, "Not Found", "No local back-office user " + username + "; they are "
                    + admins.admins().stream().map(a -> a.username()).toList());
        }
        long secondsLeft = 30 - Math.floorMod(java.time.Instant.now().getEpochSecond(), 30);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("username", username);
        answer.put("code", shop.local.stack.Totp.code(admins.totpSecret(username), java.time.Instant.now()));
        answer.put("validForSeconds", secondsLeft);
        return json(exchange, 200, answer);
    }

    /**
     * A photo from the images bucket, with the type it was uploaded with; only plain keys
     * (no dots but the extension's), so no request reaches outside the bucket's keys.
     */
    private int image(HttpExchange exchange, String key, boolean head) throws IOException {
        if (!IMAGE_KEY.matcher(key).matches()) {
            return problem(exchange, 404, "Not Found", "No such image");
        }
        String bucket = functions.aws().physicalName("ImagesBucket");
        try (var object = functions.aws().s3().getObject(b -> b.bucket(bucket).key(key))) {
            byte[] bytes = object.readAllBytes();
            String type = object.response().contentType();
            exchange.getResponseHeaders().set("Content-Type", type == null ? "application/octet-stream" : type);
            exchange.getResponseHeaders().set("Cache-Control", "public, max-age=60");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            return send(exchange, 200, head ? new byte[0] : bytes);
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return problem(exchange, 404, "Not Found", "No such image");
        }
    }

    /** Runs a scheduled function now, with the event its schedule sends, and answers what it returned. */
    private int runScheduled(HttpExchange exchange, String functionId) throws IOException {
        Optional<Object> result;
        try {
            result = schedules.runNow(functionId);
        } catch (Exception | Error e) {
            return problem(exchange, 502, "Bad Gateway", functionId + " failed: " + e);
        }
        if (result.isEmpty()) {
            return problem(exchange, 404, "Not Found", "No scheduled function " + functionId + "; scheduled: "
                    + schedules.schedules().stream().map(LocalSchedules.Schedule::functionId).distinct().toList());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("function", functionId);
        answer.put("result", result.get());
        return json(exchange, 200, answer);
    }

    /** The Stripe stand-in's pay page, created (and the stand-in started) on first use. */
    private StripePayPage payPage() {
        if (payPage == null) {
            synchronized (this) {
                if (payPage == null) {
                    payPage = new StripePayPage(functions.aws().stripe(), baseUri().resolve("/stripe/webhook"));
                }
            }
        }
        return payPage;
    }

    private String mailboxUrl() {
        try {
            return functions.aws().mailbox().webUrl().toString();
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    private static Map<String, Object> mailJson(SentMail mail) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("messageId", mail.messageId());
        json.put("from", mail.from());
        json.put("to", mail.to());
        json.put("subject", mail.subject());
        json.put("text", mail.text());
        json.put("html", mail.html());
        json.put("headers", mail.headers());
        json.put("at", mail.at().toString());
        return json;
    }

    private static int problem(HttpExchange exchange, int status, String title, String detail) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        return send(exchange, status, bytes(problem));
    }

    private static int json(HttpExchange exchange, int status, Object body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        return send(exchange, status, bytes(body));
    }

    private static byte[] bytes(Object json) {
        try {
            return JSON.writeValueAsString(json).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int send(HttpExchange exchange, int status, byte[] body) throws IOException {
        boolean noBody = body.length == 0 || status == 204 || status == 304
                || exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        return status;
    }
}
