package shop.checkout;

import java.time.Clock;
import java.util.Arrays;
import shop.commerce.catalog.DynamoProductStore;
import shop.commerce.config.StripeSecrets;
import shop.commerce.reservations.DynamoReservationStore;
import shop.commerce.reservations.StockReservations;
import shop.core.aws.AwsClients;
import shop.core.config.Env;
import shop.core.aws.SsmSecureParameters;
import shop.core.dynamo.DynamoDeactivatedAddresses;
import shop.core.ratelimit.DynamoRateLimiter;
import shop.core.security.AddressHasher;
import shop.core.snapstart.Priming;
import shop.stripe.StripeClients;

/**
 * Checkout wired to DynamoDB and Stripe, from the variables template.yaml sets, and the
 * SnapStart priming of those adapters.
 */
record CheckoutDependencies(CheckoutService service, Runnable primeAdapters) {
    /**
     * A Stripe that does not answer is given up after two tries of at most 2 + 4 seconds and
     * stripe-java's half-second pause between them, about 12.5 seconds: inside the function's
     * 15, so that the held stock is still given back before Lambda stops the function (a
     * stopped function would leave the piece held for good).
     */
    static final StripeClients.Timeouts STRIPE_TIMEOUTS = new StripeClients.Timeouts(2_000, 4_000, 1);

    static CheckoutDependencies fromEnvironment(Env env) {
        var aws = new AwsClients(env);
        var dynamo = aws.dynamo();
        Clock clock = Clock.systemUTC();
        String productsTable = env.require("PRODUCTS_TABLE");
        var products = new DynamoProductStore(dynamo, productsTable, clock);
        String checkoutsTable = env.require("CHECKOUTS_TABLE");
        var reservations = new StockReservations(new DynamoReservationStore(dynamo, checkoutsTable, productsTable, clock),
                clock);
        var parameters = new SsmSecureParameters(aws.ssm());
        var secrets = StripeSecrets.fromEnvironment(env, parameters);
        var sessions = new StripeCheckoutSessions(StripeClients.onFirstUse(env, secrets, STRIPE_TIMEOUTS),
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
        var hasher = AddressHasher.fromEnvironment(env, parameters);
        String subscribersTable = env.require("SUBSCRIBERS_TABLE");
        var deactivated = new DynamoDeactivatedAddresses(dynamo, subscribersTable, hasher, clock);
        var limits = new ClientLimits(new DynamoRateLimiter(dynamo, subscribersTable, clock), hasher);
        var service = new CheckoutService(products, reservations, sessions, settings, deactivated, limits, clock);
        return new CheckoutDependencies(service, () -> {
            Priming.dynamo(dynamo, checkoutsTable, "pk", "PRIMING#never-written",
                    Priming.DynamoCall.GET, Priming.DynamoCall.PUT, Priming.DynamoCall.UPDATE, Priming.DynamoCall.TRANSACT);
            sessions.prime();
            parameters.prime();
        });
    }
}
