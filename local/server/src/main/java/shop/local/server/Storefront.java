package shop.local.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The storefront demo (local/storefront): static files served for GET paths that no API route
 * claims, as a CDN would serve the real storefront. Pages get the strict headers a deployed
 * storefront should send too.
 */
final class Storefront {
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "jpg", "image/jpeg",
            "ico", "image/x-icon",
            "json", "application/json");
    static final String CSP = "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self';"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final Path root;
    private final String csp;

    Storefront(Path root) {
        this(root, CSP);
    }

    /** Static files under {@code root}, pages sent with {@code csp}. */
    Storefront(Path root, String csp) {
        this.root = root.toAbsolutePath().normalize();
        this.csp = csp;
    }

    /** The storefront next to template.yaml, if the checkout has one. */
    static Optional<Storefront> beside(Path template) {
        Path dir = template.toAbsolutePath().getParent().resolve("local/storefront");
        return Files.isDirectory(dir) ? Optional.of(new Storefront(dir)) : Optional.empty();
    }

    /** The file for a request path, never outside the storefront directory. */
    Optional<Path> file(String rawPath) {
        if (rawPath.contains("%") || rawPath.contains("\\")) {
            return Optional.empty();
        }
        String relative = rawPath.equals("/") ? "index.html" : rawPath.substring(1);
        Path file = root.resolve(relative).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file) || type(file).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(file);
    }

    int serve(HttpExchange exchange, Path file) throws IOException {
        byte[] body = Files.readAllBytes(file);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", type(file).orElseThrow());
        headers.set("Cache-Control", "no-cache");
        headers.set("X-Content-Type-Options", "nosniff");
        if (file.toString().endsWith(".html")) {
            headers.set("Content-Security-Policy", csp);
            headers.set("Referrer-Policy", "no-referrer");
        }
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(200, head ? -1 : body.length);
        if (!head) {
            exchange.getResponseBody().write(body);
        }
        return 200;
    }

    private static Optional<String> type(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? Optional.empty() : Optional.ofNullable(TYPES.get(name.substring(dot + 1)));
    }
}
