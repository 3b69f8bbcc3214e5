package shop.privacy.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stripe's customers API as far as erasure uses it ({@code GET /v1/customers?email=},
 * {@code DELETE /v1/customers/{id}}), answering like Stripe: exact, case-sensitive email match,
 * 404 {@code resource_missing} for an unknown id, 401 without the key.
 */
public final class StripeCustomersStub implements AutoCloseable {
    public static final String KEY = "sk_test_privacy_stub_000000000000";

    public final Map<String, String> emails = new ConcurrentHashMap<>(); // id -> email
    public final List<String> requests = new CopyOnWriteArrayList<>();
    public volatile boolean failing;
    private final HttpServer server;

    public StripeCustomersStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/customers", this::handle);
        server.start();
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        URI uri = exchange.getRequestURI();
        requests.add(method + " " + uri);
        if (failing) {
            send(exchange, 500, "{\"error\":{\"type\":\"api_error\",\"code\":\"api_error\"}}");
        } else if (!("Bearer " + KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"api_key_invalid\"}}");
        } else if (method.equals("GET") && uri.getPath().equals("/v1/customers")) {
            String email = query(uri, "email");
            List<String> data = new ArrayList<>();
            emails.forEach((id, address) -> {
                if (address.equals(email)) {
                    data.add("{\"id\":\"" + id + "\",\"object\":\"customer\"}");
                }
            });
            send(exchange, 200, "{\"object\":\"list\",\"url\":\"/v1/customers\",\"has_more\":false,\"data\":["
                    + String.join(",", data) + "]}");
        } else if (method.equals("DELETE") && uri.getPath().startsWith("/v1/customers/")) {
            String id = uri.getPath().substring("/v1/customers/".length());
            if (emails.remove(id) == null) {
                send(exchange, 404, "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"resource_missing\"}}");
            } else {
                send(exchange, 200, "{\"id\":\"" + id + "\",\"object\":\"customer\",\"deleted\":true}");
            }
        } else {
            send(exchange, 404, "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"resource_missing\"}}");
        }
    }

    private static String query(URI uri, String name) {
        for (String pair : uri.getRawQuery() == null ? new String[0] : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv[0].equals(name)) {
                return URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
