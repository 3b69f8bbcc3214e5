package shop.local.server;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import shop.local.stack.CfnTemplate;

/**
 * The HTTP API's routes, from every function's HttpApi events, matched the way API Gateway
 * does: the most specific path wins (a literal segment over {param} over {proxy+}, all over
 * $default), and an exact method over ANY.
 */
final class Routes {

    static final List<String> ALL_METHODS = List.of("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT");

    /** {@code authorizer}: the HTTP API authorizer that guards the route (null: none); {@code scopes}: its scopes. */
    record Route(String functionId, String method, String path, String routeKey, List<String> segments,
                 String authorizer, List<String> scopes) {
        boolean isDefault() {
            return routeKey.equals("$default");
        }

        boolean allows(String requestMethod) {
            return method.equals("ANY") || method.equals(requestMethod);
        }
    }

    /** The outcome of matching: a route (with its path parameters), 405 or 404. */
    sealed interface Match permits Found, MethodNotAllowed, NotFound {}

    record Found(Route route, Map<String, String> pathParameters) implements Match {}

    record MethodNotAllowed(List<String> allowed) implements Match {}

    record NotFound() implements Match {}

    private final List<Route> routes;

    Routes(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    static Routes from(CfnTemplate template) {
        List<Route> routes = new ArrayList<>();
        Map<String, String> seen = new LinkedHashMap<>();
        template.functions().values().forEach(function -> function.httpApiEvents().forEach(event -> {
            String previous = seen.put(event.routeKey(), function.logicalId());
            if (previous != null) {
                throw new IllegalStateException("Route " + event.routeKey() + " is claimed by both " + previous
                        + " and " + function.logicalId() + " in " + template.file());
            }
            routes.add(new Route(function.logicalId(), event.method(), event.path(), event.routeKey(),
                    segments(event.path()), event.authorizer(), event.authorizationScopes()));
        }));
        return new Routes(routes);
    }

    List<Route> all() {
        return routes;
    }

    Match match(String method, String rawPath) {
        List<String> request = segments(rawPath);
        List<Candidate> pathMatches = new ArrayList<>();
        for (Route route : routes) {
            bind(route, request).ifPresent(parameters -> pathMatches.add(new Candidate(route, parameters)));
        }
        Optional<Candidate> best = pathMatches.stream().filter(c -> c.route().allows(method))
                .min(Comparator.comparing(Candidate::route, Routes::bySpecificity));
        if (best.isPresent()) {
            return new Found(best.get().route(), best.get().parameters());
        }
        if (pathMatches.isEmpty()) {
            return new NotFound();
        }
        TreeSet<String> allowed = new TreeSet<>();
        pathMatches.forEach(c -> allowed.addAll(c.route().method().equals("ANY") ? ALL_METHODS : List.of(c.route().method())));
        return new MethodNotAllowed(List.copyOf(allowed));
    }

    private record Candidate(Route route, Map<String, String> parameters) {}

    /** Path parameters when {@code route} matches the request's segments (values decoded). */
    private static Optional<Map<String, String>> bind(Route route, List<String> request) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (route.isDefault()) {
            return Optional.of(parameters);
        }
        List<String> template = route.segments();
        for (int i = 0; i < template.size(); i++) {
            String segment = template.get(i);
            if (isGreedy(segment)) {
                if (i >= request.size()) {
                    return Optional.empty();
                }
                String rest = String.join("/", request.subList(i, request.size()));
                parameters.put(segment.substring(1, segment.length() - 2), decode(rest));
                return Optional.of(parameters);
            }
            if (i >= request.size()) {
                return Optional.empty();
            }
            if (isVariable(segment)) {
                if (request.get(i).isEmpty()) {
                    return Optional.empty();
                }
                parameters.put(segment.substring(1, segment.length() - 1), decode(request.get(i)));
            } else if (!segment.equals(request.get(i))) {
                return Optional.empty();
            }
        }
        return template.size() == request.size() ? Optional.of(parameters) : Optional.empty();
    }

    private static int bySpecificity(Route a, Route b) {
        if (a.isDefault() != b.isDefault()) {
            return a.isDefault() ? 1 : -1;
        }
        int size = Math.min(a.segments().size(), b.segments().size());
        for (int i = 0; i < size; i++) {
            int byRank = Integer.compare(rank(a.segments().get(i)), rank(b.segments().get(i)));
            if (byRank != 0) {
                return byRank;
            }
        }
        if (a.segments().size() != b.segments().size()) {
            return Integer.compare(b.segments().size(), a.segments().size()); // longer is more specific
        }
        return Boolean.compare(a.method().equals("ANY"), b.method().equals("ANY"));
    }

    private static int rank(String segment) {
        return isGreedy(segment) ? 2 : isVariable(segment) ? 1 : 0;
    }

    private static boolean isVariable(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    private static boolean isGreedy(String segment) {
        return segment.startsWith("{") && segment.endsWith("+}");
    }

    private static List<String> segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return Arrays.asList(trimmed.split("/", -1));
    }

    /** Percent-decoding for path segments, where '+' is a plus, not a space. */
    static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
