package shop.core.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Read-only view of an API Gateway HTTP API (payload 2.0) request, as handlers need it. */
public final class ApiRequest {
    private final APIGatewayV2HTTPEvent event;

    public ApiRequest(APIGatewayV2HTTPEvent event) {
        this.event = event;
    }

    public String method() {
        return http().map(APIGatewayV2HTTPEvent.RequestContext.Http::getMethod).orElse("").toUpperCase(Locale.ROOT);
    }

    /**
     * The route API Gateway matched, as the template declares it: {@code "GET /products/{sku}"}.
     * Handlers route on it (never by parsing the path again); an event without one is no route.
     */
    public String routeKey() {
        return event.getRouteKey() == null ? "" : event.getRouteKey();
    }

    public String path() {
        return event.getRawPath() == null ? "" : event.getRawPath();
    }

    /** Header value; API Gateway lower-cases header names in payload 2.0. */
    public Optional<String> header(String name) {
        Map<String, String> headers = event.getHeaders();
        if (headers == null) {
            return Optional.empty();
        }
        String value = headers.get(name.toLowerCase(Locale.ROOT));
        if (value == null) {
            for (var entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    value = entry.getValue();
                }
            }
        }
        return Optional.ofNullable(value);
    }

    public Optional<String> query(String name) {
        Map<String, String> query = event.getQueryStringParameters();
        return query == null ? Optional.empty() : Optional.ofNullable(query.get(name));
    }

    public Optional<String> pathParameter(String name) {
        Map<String, String> params = event.getPathParameters();
        return params == null ? Optional.empty() : Optional.ofNullable(params.get(name));
    }

    /** The media type without parameters, lower-cased; empty when the header is missing. */
    public String mediaType() {
        return header("content-type")
                .map(value -> value.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
                .orElse("");
    }

    /** The body bytes, decoded when API Gateway marked them base64. */
    public byte[] bodyBytes() {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        if (event.getIsBase64Encoded()) {
            try {
                return Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw new shop.core.errors.InvalidInputException(null, "The request body is not valid base64.");
            }
        }
        return body.getBytes(StandardCharsets.UTF_8);
    }

    public String sourceIp() {
        return http().map(APIGatewayV2HTTPEvent.RequestContext.Http::getSourceIp).orElse("");
    }

    public String userAgent() {
        return http().map(APIGatewayV2HTTPEvent.RequestContext.Http::getUserAgent)
                .or(() -> header("user-agent")).orElse("");
    }

    /**
     * The base URL customers reach this API at: the configured public URL (a custom domain, or
     * the local server's address) or else the API's own domain over https. Never built from a
     * header a client sends ({@code X-Forwarded-Proto}, {@code Host}): links in mail must not
     * be steerable by whoever makes the request.
     */
    public String publicBaseUrl(Optional<String> configured) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return stripTrailingSlash(configured.get());
        }
        String host = Optional.ofNullable(event.getRequestContext())
                .map(APIGatewayV2HTTPEvent.RequestContext::getDomainName)
                .filter(name -> !name.isBlank())
                .orElse("localhost");
        return "https://" + host;
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private Optional<APIGatewayV2HTTPEvent.RequestContext.Http> http() {
        return Optional.ofNullable(event.getRequestContext()).map(APIGatewayV2HTTPEvent.RequestContext::getHttp);
    }
}
