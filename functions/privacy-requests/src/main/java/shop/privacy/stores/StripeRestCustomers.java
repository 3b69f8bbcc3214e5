package shop.privacy.stores;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import shop.commerce.config.Once;
import shop.core.errors.UpstreamException;
import shop.core.json.Json;
import shop.privacy.PaymentCustomers;

/**
 * Stripe customers over Stripe's REST API ({@code GET /v1/customers?email=},
 * {@code DELETE /v1/customers/{id}}) with the JDK's HTTP client: two calls do not justify
 * stripe-java's tens of megabytes in this function's jar. Stripe's email filter is exact and
 * case-sensitive, so every spelling the orders carry is asked for.
 */
public final class StripeRestCustomers implements PaymentCustomers {
    private static final Pattern CUSTOMER_ID = Pattern.compile("cus_[A-Za-z0-9]+");

    /**
     * Built on first use: only erasure requests talk to Stripe, and the JDK's client costs a
     * thread and some hundred classes to start.
     */
    private final Supplier<HttpClient> http =
            Once.of(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build());
    private final URI apiBase;
    private final Supplier<String> secretKey;

    /** {@code secretKey} is asked for on the first call, not at start-up (SnapStart, see StripeSecrets). */
    public StripeRestCustomers(URI apiBase, Supplier<String> secretKey) {
        this.apiBase = apiBase;
        this.secretKey = secretKey;
    }

    @Override
    public List<String> findByEmail(Set<String> emails) {
        Set<String> ids = new LinkedHashSet<>();
        for (String email : emails) {
            JsonNode list = call("GET", "/v1/customers?limit=100&email=" + URLEncoder.encode(email, StandardCharsets.UTF_8));
            for (JsonNode customer : list.path("data")) {
                String id = customer.path("id").asText("");
                if (CUSTOMER_ID.matcher(id).matches()) {
                    ids.add(id);
                }
            }
        }
        return new ArrayList<>(ids);
    }

    @Override
    public void delete(String customerId) {
        if (!CUSTOMER_ID.matcher(customerId).matches()) {
            throw new IllegalArgumentException("Not a Stripe customer id");
        }
        call("DELETE", "/v1/customers/" + customerId);
    }

    private JsonNode call(String method, String path) {
        HttpRequest request = HttpRequest.newBuilder(apiBase.resolve(path))
                .timeout(Duration.ofSeconds(8))
                .header("Authorization", "Bearer " + secretKey.get())
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<String> response;
        try {
            response = http.get().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UpstreamException("Stripe could not be reached.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException("Interrupted while calling Stripe.", e);
        }
        JsonNode body;
        try {
            body = Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new UpstreamException("Stripe answered " + response.statusCode() + " without JSON.", e);
        }
        // A customer deleted meanwhile (or twice) is what we wanted.
        if (method.equals("DELETE") && response.statusCode() == 404
                && "resource_missing".equals(body.path("error").path("code").asText())) {
            return body;
        }
        if (response.statusCode() / 100 != 2) {
            throw new UpstreamException("Stripe answered " + response.statusCode() + " ("
                    + body.path("error").path("code").asText("no code") + ").", null);
        }
        return body;
    }
}
