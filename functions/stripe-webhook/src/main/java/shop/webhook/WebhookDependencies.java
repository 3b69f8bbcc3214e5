package shop.webhook;

import com.stripe.StripeClient;
import java.time.Clock;
import java.util.Optional;
import shop.commerce.catalog.DynamoProductStore;
import shop.commerce.config.Once;
import shop.commerce.config.StripeSecrets;
import shop.commerce.orders.DynamoOrderAccounts;
import shop.commerce.orders.DynamoOrderStore;
import shop.commerce.reservations.DynamoReservationStore;
import shop.commerce.reservations.StockReservations;
import shop.commerce.stats.DynamoOrderCounter;
import shop.core.aws.AwsClients;
import shop.core.config.Env;
import shop.core.snapstart.Priming;

/**
 * The webhook wired to DynamoDB, SQS and Stripe, from the variables template.yaml sets, and the
 * SnapStart priming of those adapters.
 */
record WebhookDependencies(WebhookService service, Runnable primeAdapters) {

    static WebhookDependencies fromEnvironment(Env env) {
        var aws = new AwsClients(env);
        var dynamo = aws.dynamo();
        Clock clock = Clock.systemUTC();
        var secrets = StripeSecrets.fromEnvironment(env, aws::secureParameter);
        var products = new DynamoProductStore(dynamo, env.require("PRODUCTS_TABLE"), clock);
        var stock = new StockReservations(products,
                new DynamoReservationStore(dynamo, env.require("CHECKOUTS_TABLE"), clock), clock);
        String ordersTable = env.require("ORDERS_TABLE");
        var lifecycle = new OrderLifecycle(
                new DynamoOrderStore(dynamo, ordersTable, clock),
                new DynamoOrderAccounts(dynamo, ordersTable, clock),
                stock,
                new DynamoOrderCounter(dynamo, env.require("STATS_TABLE")),
                new SqsOrderEvents(aws.sqs(), env.require("ORDER_QUEUE_URL")),
                clock);
        var payments = new StripePaymentRecords(Once.of(() -> stripe(secrets.secretKey(), env.optional("STRIPE_API_BASE"))));
        var service = new WebhookService(
                new StripeSignatureVerifier(secrets::webhookSecret, clock),
                new DynamoProcessedEvents(dynamo, ordersTable, clock),
                payments,
                lifecycle);
        return new WebhookDependencies(service, () -> {
            Priming.dynamo(dynamo, ordersTable, "pk", "PRIMING#never-written",
                    Priming.DynamoCall.GET, Priming.DynamoCall.PUT, Priming.DynamoCall.UPDATE);
            payments.prime();
        });
    }

    /** An instance client, never the global {@code Stripe.apiKey}; {@code apiBase} points it at the local stand-in. */
    static StripeClient stripe(String secretKey, Optional<String> apiBase) {
        var builder = StripeClient.builder().setApiKey(secretKey)
                .setConnectTimeout(3_000).setReadTimeout(8_000).setMaxNetworkRetries(1);
        apiBase.ifPresent(builder::setApiBase);
        return builder.build();
    }
}
