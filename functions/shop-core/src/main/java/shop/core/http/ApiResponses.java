package shop.core.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import shop.core.aws.AwsFailures;
import shop.core.errors.ConflictException;
import shop.core.errors.ForbiddenException;
import shop.core.errors.InvalidInputException;
import shop.core.errors.NotFoundException;
import shop.core.errors.TooManyRequestsException;
import shop.core.errors.UnauthorizedException;
import shop.core.errors.UpstreamException;
import shop.core.json.Json;
import shop.core.logging.Log;

/**
 * Every response a function sends is built here, and this is the one place where exceptions
 * become HTTP statuses and problem bodies.
 */
public final class ApiResponses {
    /**
     * How long a caller should wait after a 503: throttling passes within seconds as DynamoDB
     * adapts, and a storefront retrying sooner would only add to the load.
     */
    static final int RETRY_AFTER_SECONDS = 5;

    /** Pages carry links with tokens: never cached, never leaked through Referer, never framed. */
    private static final String PAGE_CSP =
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private ApiResponses() {
    }

    public static APIGatewayV2HTTPResponse json(int status, Object body) {
        return response(status, "application/json", Json.write(body), Map.of("cache-control", "no-store"));
    }

    /**
     * Public data the same for everyone (the catalog): browsers and CDNs may keep it for
     * {@code maxAgeSeconds}, so a busy storefront does not call the API on every page view.
     */
    public static APIGatewayV2HTTPResponse cacheableJson(int status, Object body, int maxAgeSeconds) {
        return response(status, "application/json", Json.write(body),
                Map.of("cache-control", "public, max-age=" + maxAgeSeconds));
    }

    /** A text body of another media type (CSV for spreadsheets), never cached. */
    public static APIGatewayV2HTTPResponse text(int status, String contentType, String body) {
        return response(status, contentType, body, Map.of("cache-control", "no-store"));
    }

    public static APIGatewayV2HTTPResponse noContent() {
        return response(204, null, null, Map.of("cache-control", "no-store"));
    }

    public static APIGatewayV2HTTPResponse html(int status, String html) {
        return response(status, "text/html; charset=utf-8", html, Map.of(
                "cache-control", "no-store",
                "content-security-policy", PAGE_CSP,
                "referrer-policy", "no-referrer",
                "x-frame-options", "DENY"));
    }

    public static APIGatewayV2HTTPResponse seeOther(String location) {
        return response(303, null, null, Map.of(
                "location", location,
                "cache-control", "no-store",
                "referrer-policy", "no-referrer"));
    }

    public static APIGatewayV2HTTPResponse problem(Problem problem) {
        return response(problem.status(), "application/problem+json", Json.write(problem),
                Map.of("cache-control", "no-store"));
    }

    /** Maps anything a service or the request parsing threw; unknown failures become a 500. */
    public static APIGatewayV2HTTPResponse error(Throwable error) {
        if (error instanceof PayloadTooLargeException e) {
            return problem(new Problem("about:blank", "Payload Too Large", 413, e.getMessage(), null));
        }
        if (error instanceof UnsupportedMediaTypeException e) {
            return problem(new Problem("about:blank", "Unsupported Media Type", 415, e.getMessage(), null));
        }
        if (error instanceof InvalidInputException e) {
            return problem(new Problem("about:blank", "Bad Request", 400, e.getMessage(), e.field()));
        }
        if (error instanceof UnauthorizedException e) {
            var response = problem(new Problem("about:blank", "Unauthorized", 401, e.getMessage(), null));
            response.getHeaders().put("www-authenticate", "Bearer");
            return response;
        }
        if (error instanceof ForbiddenException e) {
            return problem(new Problem("about:blank", "Forbidden", 403, e.getMessage(), null));
        }
        if (error instanceof NotFoundException e) {
            return problem(new Problem("about:blank", "Not Found", 404, e.getMessage(), null));
        }
        if (error instanceof ConflictException e) {
            return problem(new Problem("about:blank", "Conflict", 409, e.getMessage(), null));
        }
        if (error instanceof TooManyRequestsException e) {
            var response = problem(new Problem("about:blank", "Too Many Requests", 429, e.getMessage(), null));
            response.getHeaders().put("retry-after", Long.toString(e.retryAfterSeconds()));
            return response;
        }
        if (error instanceof UpstreamException e) {
            Log.warn("upstream_failed", Map.of("cause", e.getCause() == null ? "" : e.getCause().getClass().getName()));
            return problem(new Problem("about:blank", "Bad Gateway", 502, e.getMessage(), null));
        }
        // Checked after the domain errors, because a service may wrap an AWS failure on purpose
        // (the payment provider's 502); otherwise throttling or an AWS outage, already retried by
        // the SDK, is worth a retry by the caller, not a 500.
        Optional<String> temporary = AwsFailures.temporary(error);
        if (temporary.isPresent()) {
            Log.warn("service_unavailable", Map.of("exception", error.getClass().getName(), "cause", temporary.get()));
            var response = problem(new Problem("about:blank", "Service Unavailable", 503,
                    "The shop is busy right now and did not finish your request. Please try again in a few"
                            + " seconds; repeating it is safe.", null));
            response.getHeaders().put("retry-after", Integer.toString(RETRY_AFTER_SECONDS));
            return response;
        }
        Log.error("unhandled_error", Map.of("exception", error.getClass().getName()));
        return problem(new Problem("about:blank", "Internal Server Error", 500,
                "Something went wrong on our side; nothing was changed. Please try again.", null));
    }

    private static APIGatewayV2HTTPResponse response(int status, String contentType, String body,
                                                     Map<String, String> extraHeaders) {
        Map<String, String> headers = new HashMap<>(extraHeaders);
        headers.put("x-content-type-options", "nosniff");
        if (contentType != null) {
            headers.put("content-type", contentType);
        }
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(body)
                .withIsBase64Encoded(false)
                .build();
    }
}
