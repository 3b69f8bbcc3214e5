package shop.local.server;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Turns an HTTP request into the API Gateway HTTP API event (payload format 2.0) that Lambda
 * would receive, and the function's response back into HTTP, with API Gateway's rules for
 * headers, cookies, query strings and base64 bodies.
 */
final class ApiGatewayMapping {

    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final Set<String> TEXT_TYPES = Set.of("application/json", "application/xml",
            "application/javascript", "application/x-www-form-urlencoded", "application/graphql");
    /** Set by the HTTP server from the body it sends; a function's value would conflict. */
    private static final Set<String> SERVER_HEADERS = Set.of("content-length", "transfer-encoding", "connection");

    private ApiGatewayMapping() {
    }

    static APIGatewayV2HTTPEvent toEvent(HttpExchange exchange, Routes.Found match, String accountId, byte[] body) {
        Instant now = Instant.now();
        String method = exchange.getRequestMethod();
        String rawPath = exchange.getRequestURI().getRawPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        String sourceIp = exchange.getRemoteAddress().getAddress().getHostAddress();

        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                values.forEach(v -> Arrays.stream(v.split(";\\s*")).filter(c -> !c.isBlank()).forEach(cookies::add));
            } else {
                headers.put(lower, String.join(",", values));
            }
        });
        headers.put("x-forwarded-for", sourceIp);
        headers.put("x-forwarded-port", String.valueOf(exchange.getLocalAddress().getPort()));
        headers.put("x-forwarded-proto", "http");
        String host = headers.getOrDefault("host", "localhost:" + exchange.getLocalAddress().getPort());

        var http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod(method);
        http.setPath(rawPath);
        http.setProtocol("HTTP/1.1");
        http.setSourceIp(sourceIp);
        http.setUserAgent(headers.getOrDefault("user-agent", ""));

        var context = new APIGatewayV2HTTPEvent.RequestContext();
        context.setAccountId(accountId);
        context.setApiId("local");
        context.setDomainName(host);
        context.setDomainPrefix(host.split("[.:]", 2)[0]);
        context.setHttp(http);
        context.setRequestId(UUID.randomUUID().toString());
        context.setRouteKey(match.route().routeKey());
        context.setStage("$default");
        context.setTime(REQUEST_TIME.format(now));
        context.setTimeEpoch(now.toEpochMilli());

        var event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey(match.route().routeKey());
        event.setRawPath(rawPath);
        event.setRawQueryString(rawQuery == null ? "" : rawQuery);
        event.setCookies(cookies.isEmpty() ? null : cookies);
        event.setHeaders(headers);
        event.setQueryStringParameters(queryParameters(rawQuery));
        event.setPathParameters(match.pathParameters().isEmpty() ? null : match.pathParameters());
        event.setRequestContext(context);
        if (body.length > 0) {
            String contentType = headers.get("content-type");
            if (isText(contentType)) {
                event.setBody(new String(body, charset(contentType)));
            } else {
                event.setBody(Base64.getEncoder().encodeToString(body));
                event.setIsBase64Encoded(true);
            }
        }
        return event;
    }

    /** What a JWT authorizer verified, where API Gateway puts it: {@code requestContext.authorizer.jwt}. */
    static void setJwt(APIGatewayV2HTTPEvent event, Map<String, String> claims, List<String> scopes) {
        var jwt = new APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT();
        jwt.setClaims(claims);
        jwt.setScopes(scopes.isEmpty() ? null : scopes);
        var authorizer = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
        authorizer.setJwt(jwt);
        event.getRequestContext().setAuthorizer(authorizer);
    }

    /** Repeated keys are joined with ",", as API Gateway does; null when there is no query. */
    private static Map<String, String> queryParameters(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            parameters.merge(key, value, (a, b) -> a + "," + b);
        }
        return parameters.isEmpty() ? null : parameters;
    }

    /** API Gateway passes these as text and base64-encodes everything else, including no content-type. */
    static boolean isText(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mime = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mime.startsWith("text/") || TEXT_TYPES.contains(mime) || mime.endsWith("+json") || mime.endsWith("+xml");
    }

    private static Charset charset(String contentType) {
        for (String parameter : contentType.split(";")) {
            String[] pair = parameter.trim().split("=", 2);
            if (pair.length == 2 && pair[0].equalsIgnoreCase("charset")) {
                try {
                    return Charset.forName(pair[1].replace("\"", "").trim());
                } catch (RuntimeException unknown) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /** Copies status, headers, cookies (as Set-Cookie) and body; returns the body bytes to send. */
    static byte[] applyResponse(APIGatewayV2HTTPResponse response, Headers out) {
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((name, value) -> {
                if (!SERVER_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && value != null) {
                    out.set(name, value);
                }
            });
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, values) -> {
                if (!SERVER_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && values != null) {
                    values.forEach(value -> out.add(name, value));
                }
            });
        }
        if (response.getCookies() != null) {
            response.getCookies().forEach(cookie -> out.add("Set-Cookie", cookie));
        }
        String body = response.getBody();
        if (body == null) {
            return new byte[0];
        }
        return response.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
    }
}
