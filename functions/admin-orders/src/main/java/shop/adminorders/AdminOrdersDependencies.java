package shop.adminorders;

import java.time.Clock;
import shop.core.aws.AwsClients;
import shop.core.config.Env;
import shop.core.dynamo.DynamoAuditTrail;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The back office's orders service wired to DynamoDB, SQS and S3, from the variables template.yaml sets. */
final class AdminOrdersDependencies {
    private AdminOrdersDependencies() {
    }

    static AdminOrdersService fromEnvironment(Env env) {
        var aws = new AwsClients(env);
        var dynamo = aws.dynamo();
        Clock clock = Clock.systemUTC();
        // Path-style for the local stand-in; AWS serves both.
        S3Client s3 = aws.build(S3Client.builder().serviceConfiguration(S3Configuration.builder()
                .pathStyleAccessEnabled(env.optional("AWS_ENDPOINT_URL_S3").or(() -> env.optional("AWS_ENDPOINT_URL")).isPresent())
                .chunkedEncodingEnabled(false).build()), "S3");
        return new AdminOrdersService(
                new DynamoOrderBook(dynamo, env.require("ORDERS_TABLE"), clock),
                new SqsOrderEvents(aws.build(SqsClient.builder(), "SQS"), env.require("ORDER_QUEUE_URL")),
                new DynamoAuditTrail(dynamo, env.require("ADMIN_AUDIT_TABLE"), clock),
                new S3AccountingExports(s3, S3AccountingExports.presigner(s3), env.require("ACCOUNTING_EXPORTS_BUCKET")),
                clock);
    }
}
