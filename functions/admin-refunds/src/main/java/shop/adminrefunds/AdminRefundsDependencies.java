package shop.adminrefunds;

import java.time.Clock;
import shop.commerce.catalog.DynamoProductStore;
import shop.commerce.config.Once;
import shop.commerce.config.StripeSecrets;
import shop.commerce.orders.DynamoOrderAccounts;
import shop.core.aws.AwsClients;
import shop.core.config.Env;
import shop.core.dynamo.DynamoAuditTrail;
import shop.core.snapstart.Priming;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Refunds wired to DynamoDB, SQS, SSM and Stripe, from the variables template.yaml sets, and the
 * SnapStart priming of those adapters. The Stripe client is built here, once, on first use (its
 * secret key read from SSM then), like functions/checkout's.
 */
record AdminRefundsDependencies(RefundsService service, Runnable primeAdapters) {

    static AdminRefundsDependencies fromEnvironment(Env env) {
        var aws = new AwsClients(env);
        var dynamo = aws.dynamo();
        Clock clock = Clock.systemUTC();
        String ordersTable = env.require("ORDERS_TABLE");
        Once<SsmClient> ssm = Once.of(() -> aws.build(SsmClient.builder(), "SSM"));
        var secrets = StripeSecrets.fromEnvironment(env, name -> ssm.get()
                .getParameter(b -> b.name(name).withDecryption(true)).parameter().value());
        var refunds = new StripeRefunds(Once.of(() -> StripeRefunds.client(secrets.secretKey(),
                env.optional("STRIPE_API_BASE"))));
        SqsClient sqs = aws.build(SqsClient.builder(), "SQS");
        var service = new RefundsService(
                new DynamoOrderAccounts(dynamo, ordersTable, clock),
                refunds,
                new DynamoProductStore(dynamo, env.require("PRODUCTS_TABLE"), clock),
                new SqsOrderEvents(sqs, env.require("ORDER_QUEUE_URL")),
                new DynamoAuditTrail(dynamo, env.require("ADMIN_AUDIT_TABLE"), clock),
                clock);
        return new AdminRefundsDependencies(service, () -> {
            Priming.dynamo(dynamo, ordersTable, "pk", "ORDER#priming-never-written",
                    Priming.DynamoCall.GET, Priming.DynamoCall.UPDATE);
            StripeRefunds.prime();
        });
    }
}
