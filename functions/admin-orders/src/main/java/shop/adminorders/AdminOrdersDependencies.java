package shop.adminorders;

import java.time.Clock;
import shop.commerce.orders.OrderEvents;
import shop.commerce.orders.SqsOrderEvents;
import shop.commerce.stats.DynamoOrderCounter;
import shop.core.admin.ActivityLog;
import shop.core.admin.AuditTrail;
import shop.core.aws.AwsClients;
import shop.core.aws.SsmSecureParameters;
import shop.core.config.Env;
import shop.core.dynamo.DynamoAuditTrail;
import shop.core.security.AddressHasher;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The back office's orders services wired to DynamoDB (the subscribers table's suppression list too), SQS, S3, SSM and
 * the user pool, from the variables template.yaml sets, and the SnapStart priming of those adapters.
 */
record AdminOrdersDependencies(OrderListService lists, OrderRecordService records, ShipmentService shipments,
                               ShippingAddressChangeService addressChanges, CustomerEmailChangeService emailChanges,
                               OrderAcceptanceService acceptances, PackingSlipService packingSlips,
                               AccountingExportService accountingExports,
                               ActivityService activity, Runnable primeAdapters) {

    /** Each service on the ports it needs; the record's is the one the others read the order through and answer with. */
    static AdminOrdersDependencies of(OrderBook book, OrderNumbers numbers, CampaignSubjects campaigns,
                                      MailSuppressions suppressions, OrderEvents events, AuditTrail trail,
                                      ActivityLog activityLog, AccountingExports exports, AdminNames names, Clock clock,
                                      Runnable primeAdapters) {
        var records = new OrderRecordService(book, trail, names);
        return new AdminOrdersDependencies(new OrderListService(book, clock), records,
                new ShipmentService(book, events, records, clock), new ShippingAddressChangeService(book, events, records, clock),
                new CustomerEmailChangeService(book, suppressions, events, records, clock),
                new OrderAcceptanceService(book, events, records, clock), new PackingSlipService(records, book),
                new AccountingExportService(book, trail, exports, clock), new ActivityService(activityLog, names, numbers, campaigns, clock),
                primeAdapters);
    }

    static AdminOrdersDependencies fromEnvironment(Env env) {
        var aws = new AwsClients(env);
        var dynamo = aws.dynamo();
        Clock clock = Clock.systemUTC();
        // Path-style for the local stand-in; AWS serves both.
        S3Client s3 = aws.build(S3Client.builder().serviceConfiguration(S3Configuration.builder()
                .pathStyleAccessEnabled(env.optional("AWS_ENDPOINT_URL_S3").or(() -> env.optional("AWS_ENDPOINT_URL")).isPresent())
                .chunkedEncodingEnabled(false).build()), "S3");
        String ordersTable = env.require("ORDERS_TABLE");
        var parameters = new SsmSecureParameters(aws.ssm());
        // The address hash key is read on the first search by email, never into the SnapStart snapshot.
        var trail = new DynamoAuditTrail(dynamo, env.require("ADMIN_AUDIT_TABLE"), clock);
        var hasher = AddressHasher.fromEnvironment(env, parameters);
        var book = new DynamoOrderBook(dynamo, ordersTable, env.require("PRODUCTS_TABLE"),
                new DynamoOrderCounter(dynamo, env.require("STATS_TABLE")), trail, hasher, clock);
        var events = new SqsOrderEvents(aws.sqs(), env.require("ORDER_QUEUE_URL"));
        var exports = new S3AccountingExports(s3, S3AccountingExports.presigner(s3), env.require("ACCOUNTING_EXPORTS_BUCKET"));
        var names = new CognitoAdminNames(aws.build(CognitoIdentityProviderClient.builder(), "COGNITO_IDENTITY_PROVIDER"),
                env.require("ADMIN_USER_POOL_ID"));
        // The activity view names a campaign's lines by its subject, read from the campaigns function's table.
        var campaigns = new DynamoCampaignSubjects(dynamo, env.require("CAMPAIGNS_TABLE"), clock);
        // An email correction refuses an address the shop's mail bounced from: the suppression list's entry.
        var suppressions = new DynamoMailSuppressions(dynamo, env.require("SUBSCRIBERS_TABLE"), hasher, clock);
        return of(book, book, campaigns, suppressions, events, trail, trail, exports, names, clock, () -> {
            book.prime();
            campaigns.prime();
            suppressions.prime();
            trail.prime();
            events.prime();
            exports.prime();
            parameters.prime();
            names.prime();
        });
    }
}
