package shop.webhook;

import java.time.Clock;
import shop.commerce.config.StripeSecrets;
import shop.commerce.orders.DynamoOrderAccounts;
import shop.commerce.orders.DynamoOrderStore;
import shop.commerce.orders.DynamoPaidOrders;
import shop.commerce.orders.SqsOrderEvents;
import shop.commerce.reservations.DynamoReservationStore;
import shop.commerce.reservations.StockReservations;
import shop.commerce.stats.DynamoOrderCounter;
import shop.core.aws.AwsClients;
import shop.core.aws.SsmSecureParameters;
import shop.core.config.Env;
import shop.core.dynamo.DynamoDeactivatedAddresses;
import shop.core.security.AddressHasher;
import shop.core.snapstart.Priming;
import shop.stripe.StripeClients;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The webhook wired to DynamoDB, SQS and Stripe, from the variables template.yaml sets, and the
 * SnapStart priming of those adapters.
 */
record WebhookDependencies(WebhookService service, Runnable primeAdapters) {
    /** Stripe retries a webhook that failed, so a slow Stripe API may take longer here than in checkout. */
    static final StripeClients.Timeouts STRIPE_TIMEOUTS = new StripeClients.Timeouts(3_000, 8_000, 1);

    static WebhookDependencies fromEnvironment(Env env) {
        var aws = new AwsClients(env);
        return wired(env, aws, aws.dynamo());
    }

    /** The same wiring on a given DynamoDB client: a test's, which counts what the webhook asks of its tables. */
    static WebhookDependencies wired(Env env, AwsClients aws, DynamoDbClient dynamo) {
        Clock clock = Clock.systemUTC();
        var parameters = new SsmSecureParameters(aws.ssm());
        var secrets = StripeSecrets.fromEnvironment(env, parameters);
        var reservations = new DynamoReservationStore(dynamo, env.require("CHECKOUTS_TABLE"),
                env.require("PRODUCTS_TABLE"), clock);
        String ordersTable = env.require("ORDERS_TABLE");
        var hasher = AddressHasher.fromEnvironment(env, parameters);
        var orders = new DynamoOrderStore(dynamo, ordersTable, clock, hasher);
        var events = new SqsOrderEvents(aws.sqs(), env.require("ORDER_QUEUE_URL"));
        var lifecycle = new OrderLifecycle(
                orders,
                new DynamoOrderAccounts(dynamo, ordersTable, clock),
                new StockReservations(reservations, clock),
                new DynamoPaidOrders(dynamo, orders, reservations, new DynamoOrderCounter(dynamo, env.require("STATS_TABLE"))),
                events,
                new DynamoDeactivatedAddresses(dynamo, env.require("SUBSCRIBERS_TABLE"), hasher, clock),
                clock);
        var payments = new StripePaymentRecords(StripeClients.onFirstUse(env, secrets, STRIPE_TIMEOUTS));
        var service = new WebhookService(
                new StripeSignatureVerifier(secrets::webhookSecret, clock),
                new DynamoProcessedEvents(dynamo, ordersTable, clock),
                payments,
                lifecycle,
                secrets::liveKey);
        return new WebhookDependencies(service, () -> {
            Priming.dynamo(dynamo, ordersTable, "pk", "PRIMING#never-written",
                    Priming.DynamoCall.GET, Priming.DynamoCall.PUT, Priming.DynamoCall.UPDATE, Priming.DynamoCall.TRANSACT);
            StripeSignatureVerifier.prime();
            payments.prime();
            events.prime();
            parameters.prime();
        });
    }
}
