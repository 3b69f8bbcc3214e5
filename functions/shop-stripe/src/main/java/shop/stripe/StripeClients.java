package shop.stripe;

import com.stripe.StripeClient;
import com.stripe.net.HttpClient;
import com.stripe.net.HttpHeaders;
import com.stripe.net.StripeRequest;
import com.stripe.net.StripeResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import shop.commerce.config.Once;
import shop.commerce.config.StripeSecrets;
import shop.core.config.Env;

/**
 * The one way a function gets its {@link StripeClient}: an instance client (never the global
 * {@code Stripe.apiKey}), built on first use because its key is read then (from SSM on AWS, see
 * {@link StripeSecrets}), with {@code STRIPE_API_BASE} pointing it at the local stand-in when set.
 * Each function chooses how long it waits for Stripe, from what it must still do in its own
 * timeout after Stripe failed.
 */
public final class StripeClients {
    private StripeClients() {
    }

    /**
     * How long one call may take: {@code connectMillis} to connect, {@code readMillis} for the
     * answer, tried {@code 1 + retries} times with stripe-java's backoff (half a second, then doubling) between.
     */
    public record Timeouts(int connectMillis, int readMillis, int retries) {
        public Timeouts {
            if (connectMillis <= 0 || readMillis <= 0 || retries < 0) {
                throw new IllegalArgumentException("Timeouts are positive and retries not negative");
            }
        }
    }

    /** The client, built on the first {@code get()} and kept for the life of the execution environment. */
    public static Supplier<StripeClient> onFirstUse(Env env, StripeSecrets secrets, Timeouts timeouts) {
        return Once.of(() -> build(secrets.secretKey(), env.optional("STRIPE_API_BASE").orElse(null), timeouts));
    }

    /** {@code apiBase} null means Stripe's own API. */
    public static StripeClient build(String secretKey, String apiBase, Timeouts timeouts) {
        var builder = StripeClient.builder().setApiKey(secretKey)
                .setConnectTimeout(timeouts.connectMillis()).setReadTimeout(timeouts.readMillis())
                .setMaxNetworkRetries(timeouts.retries());
        if (apiBase != null) {
            builder.setApiBase(apiBase);
        }
        return builder.build();
    }

    /**
     * For SnapStart priming: a client that goes through all of stripe-java (typed parameters,
     * form encoding, headers, idempotency, reading the answer into its models) but sends nothing.
     * {@code answer} gives the JSON body Stripe would answer to a request's method and URL path
     * (such as {@code "POST /v1/checkout/sessions"}); no key is read.
     */
    public static StripeClient offline(Function<String, String> answer) {
        return StripeClient.builder().setApiKey("sk_test_priming_offline").setMaxNetworkRetries(0)
                .setHttpClient(new HttpClient() {
                    @Override
                    public StripeResponse request(StripeRequest request) {
                        String body = answer.apply(request.method() + " " + request.url().getPath());
                        return new StripeResponse(200, HttpHeaders.of(Map.of("Request-Id", List.of("req_priming"))), body);
                    }
                })
                .build();
    }
}
