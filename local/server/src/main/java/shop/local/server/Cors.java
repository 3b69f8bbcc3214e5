package shop.local.server;

import com.sun.net.httpserver.Headers;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import shop.local.stack.CfnTemplate;
import shop.local.stack.IntrinsicResolver;

/**
 * The HTTP API's CorsConfiguration, applied as API Gateway HTTP APIs apply it: it answers
 * preflight requests itself (for any path), adds the allow-origin header to responses for an
 * allowed Origin, and replaces whatever CORS headers a function returned.
 */
final class Cors {

    private final List<String> allowOrigins;
    private final List<String> allowMethods;
    private final List<String> allowHeaders;
    private final List<String> exposeHeaders;
    private final String maxAge;
    private final boolean allowCredentials;

    private Cors(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
                 List<String> exposeHeaders, String maxAge, boolean allowCredentials) {
        this.allowOrigins = allowOrigins;
        this.allowMethods = allowMethods;
        this.allowHeaders = allowHeaders;
        this.exposeHeaders = exposeHeaders;
        this.maxAge = maxAge;
        this.allowCredentials = allowCredentials;
    }

    /** Empty when the template configures no CORS: then the API adds no CORS headers at all. */
    static Optional<Cors> from(CfnTemplate template, IntrinsicResolver resolver) {
        return template.httpApiCorsConfiguration().map(resolver::resolve).map(config -> {
            if (config instanceof Boolean enabled) {
                return enabled ? new Cors(List.of("*"), List.of("*"), List.of("*"), List.of(), null, false) : null;
            }
            Map<?, ?> map = (Map<?, ?>) config;
            return new Cors(strings(map.get("AllowOrigins")), strings(map.get("AllowMethods")),
                    strings(map.get("AllowHeaders")), strings(map.get("ExposeHeaders")),
                    map.get("MaxAge") == null ? null : String.valueOf(map.get("MaxAge")),
                    Boolean.parseBoolean(String.valueOf(map.get("AllowCredentials"))));
        });
    }

    static boolean isPreflight(String method, Headers request) {
        return method.equals("OPTIONS") && request.containsKey("Origin")
                && request.containsKey("Access-Control-Request-Method");
    }

    boolean allows(String origin) {
        return origin != null && allowOrigins.stream().anyMatch(pattern -> matches(pattern, origin));
    }

    /** Headers for a preflight from {@code origin}; none when the origin is not allowed. */
    void preflight(Headers request, Headers response) {
        String origin = request.getFirst("Origin");
        if (!allows(origin)) {
            return;
        }
        addOrigin(origin, response);
        response.set("Access-Control-Allow-Methods", allowMethods.contains("*")
                ? request.getFirst("Access-Control-Request-Method") : String.join(",", allowMethods));
        String requested = request.getFirst("Access-Control-Request-Headers");
        if (allowHeaders.contains("*") && requested != null) {
            response.set("Access-Control-Allow-Headers", requested);
        } else if (!allowHeaders.isEmpty() && !allowHeaders.contains("*")) {
            response.set("Access-Control-Allow-Headers", String.join(",", allowHeaders));
        }
        if (maxAge != null) {
            response.set("Access-Control-Max-Age", maxAge);
        }
    }

    /** Replaces a function's CORS headers with the API's, for an allowed {@code origin}. */
    void decorate(String origin, Headers response) {
        response.keySet().removeIf(name -> name.toLowerCase(Locale.ROOT).startsWith("access-control-"));
        if (!allows(origin)) {
            return;
        }
        addOrigin(origin, response);
        if (!exposeHeaders.isEmpty()) {
            response.set("Access-Control-Expose-Headers", String.join(",", exposeHeaders));
        }
    }

    private void addOrigin(String origin, Headers response) {
        boolean wildcard = allowOrigins.contains("*") && !allowCredentials;
        response.set("Access-Control-Allow-Origin", wildcard ? "*" : origin);
        if (allowCredentials) {
            response.set("Access-Control-Allow-Credentials", "true");
        }
        response.add("Vary", "Origin");
    }

    /** An allowed origin may hold a wildcard, as in https://*.example.com. */
    private static boolean matches(String pattern, String origin) {
        if (pattern.equals("*")) {
            return true;
        }
        String regex = Pattern.quote(pattern).replace("*", "\\E[^/]*\\Q");
        return Pattern.compile(regex, Pattern.CASE_INSENSITIVE).matcher(origin).matches();
    }

    private static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(value));
    }
}
