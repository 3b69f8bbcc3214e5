package shop.adminrefunds;

import java.time.Clock;
import shop.commerce.config.StripeSecrets;
import shop.commerce.orders.DynamoOrderAccounts;
import shop.commerce.orders.SqsOrderEvents;
import shop.core.aws.AwsClients;
import shop.core.aws.SsmSecureParameters;
import shop.core.config.Env;
import shop.core.dynamo.DynamoAuditTrail;
import shop.core.snapstart.Priming;
import shop.stripe.StripeClients;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Refunds wired to DynamoDB, SQS, SSM and Stripe, from the variables template.yaml sets, and the
 * SnapStart priming of those adapters. The Stripe client is built through {@link StripeClients}
 * on first use (its secret key read from SSM then), like functions/checkout's.
 */
record AdminRefundsDependencies(RefundsService service, Runnable primeAdapters) {

    static AdminRefundsDependencies fromEnvironment(Env env) {
        var aws = new AwsClients(env);
        return wired(env, aws, aws.dynamo());
    }

    /** The same wiring on a given DynamoDB client: a test's, which counts what the function asks of its tables. */
    static AdminRefundsDependencies wired(Env env, AwsClients aws, DynamoDbClient dynamo) {
        Clock clock = Clock.systemUTC();
        String ordersTable = env.require("ORDERS_TABLE");
        var parameters = new SsmSecureParameters(aws.ssm());
        var secrets = StripeSecrets.fromEnvironment(env, parameters);
        var refunds = new StripeRefunds(StripeClients.onFirstUse(env, secrets, StripeRefunds.TIMEOUTS));
        var events = new SqsOrderEvents(aws.sqs(), env.require("ORDER_QUEUE_URL"));
        String productsTable = env.require("PRODUCTS_TABLE");
        // Each change of an order is one transaction with its trail line (and, for a restock, the pieces back on sale).
        var trail = new DynamoAuditTrail(dynamo, env.require("ADMIN_AUDIT_TABLE"), clock);
        var service = new RefundsService(
                new DynamoOrderAccounts(dynamo, ordersTable, productsTable, trail, clock),
                refunds,
                events,
                clock);
        return new AdminRefundsDependencies(service, () -> {
            // The read; a queued mail's mark (an UpdateItem) and a change's transaction, both refused.
            Priming.dynamo(dynamo, ordersTable, "pk", "ORDER#priming-never-written",
                    Priming.DynamoCall.GET, Priming.DynamoCall.UPDATE, Priming.DynamoCall.TRANSACT);
            StripeRefunds.prime();
            parameters.prime();
            events.prime();
            trail.prime();
        });
    }
}
