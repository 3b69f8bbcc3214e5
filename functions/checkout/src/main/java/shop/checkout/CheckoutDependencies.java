package shop.checkout;

import com.stripe.StripeClient;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import shop.commerce.catalog.DynamoProductStore;
import shop.commerce.config.Once;
import shop.commerce.config.StripeSecrets;
import shop.commerce.reservations.DynamoReservationStore;
import shop.commerce.reservations.StockReservations;
import shop.core.aws.AwsClients;
import shop.core.config.Env;
import shop.core.dynamo.DynamoDeactivatedAddresses;
import shop.core.security.AddressHasher;
import shop.core.snapstart.Priming;

/**
 * Checkout wired to DynamoDB and Stripe, from the variables template.yaml sets, and the
 * SnapStart priming of those adapters.
 */
record CheckoutDependencies(CheckoutService service, Runnable primeAdapters) {

    static CheckoutDependencies fromEnvironment(Env env) {
        var aws = new AwsClients(env);
        var dynamo = aws.dynamo();
        Clock clock = Clock.systemUTC();
        var products = new DynamoProductStore(dynamo, env.require("PRODUCTS_TABLE"), clock);
        String checkoutsTable = env.require("CHECKOUTS_TABLE");
        var reservations = new StockReservations(products,
                new DynamoReservationStore(dynamo, checkoutsTable, clock), clock);
        var secrets = StripeSecrets.fromEnvironment(env, aws::secureParameter);
        var sessions = new StripeCheckoutSessions(Once.of(() -> stripe(secrets.secretKey(), env.optional("STRIPE_API_BASE"))),
                Arrays.asList(env.require("SHIPPING_COUNTRIES").split(",")));
        var settings = new CheckoutSettings(
                env.optional("STOREFRONT_URL").orElseGet(() -> env.require("STOREFRONT_ORIGIN")),
                env.require("CHECKOUT_SUCCESS_PATH"),
                env.require("CHECKOUT_CANCEL_PATH"),
                env.require("SHIPPING_OPTION_NAME"),
                Long.parseLong(env.require("SHIPPING_OPTION_AMOUNT")),
                CheckoutSettings.DEFAULT_LIFETIME,
                CheckoutSettings.automaticTax(env.optional("TAX_MODE").orElse("none")),
                Boolean.parseBoolean(env.optional("ALLOW_PROMOTION_CODES").orElse("false")));
        var deactivated = new DynamoDeactivatedAddresses(dynamo, env.require("SUBSCRIBERS_TABLE"),
                new AddressHasher(env.require("ADDRESS_HASH_KEY")), clock);
        var service = new CheckoutService(products, reservations, sessions, settings, deactivated, clock);
        return new CheckoutDependencies(service, () -> {
            Priming.dynamo(dynamo, checkoutsTable, "pk", "PRIMING#never-written",
                    Priming.DynamoCall.GET, Priming.DynamoCall.PUT, Priming.DynamoCall.UPDATE);
            sessions.prime();
        });
    }

    /**
     * An instance client, never the global {@code Stripe.apiKey}. {@code apiBase} points it at the
     * local stand-in. A Stripe that does not answer is given up after two tries of at most 2 + 4
     * seconds and stripe-java's half-second pause between them, about 12.5 seconds: inside the
     * function's 15, so that the held stock is still given back before Lambda stops the function
     * (a stopped function would leave the piece held for good).
     */
    static StripeClient stripe(String secretKey, Optional<String> apiBase) {
        var builder = StripeClient.builder().setApiKey(secretKey)
                .setConnectTimeout(2_000).setReadTimeout(4_000).setMaxNetworkRetries(1);
        apiBase.ifPresent(builder::setApiBase);
        return builder.build();
    }
}
