package shop.admincatalog;

import java.time.Clock;
import shop.core.aws.AwsClients;
import shop.core.config.Env;
import shop.core.dynamo.DynamoAuditTrail;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Wires the back office's catalog to DynamoDB and the images bucket, from the variables
 * template.yaml sets, and the SnapStart priming of those adapters.
 */
record AdminCatalogDependencies(AdminCatalogService service, Runnable primeAdapters) {

    static AdminCatalogDependencies fromEnvironment(Env env) {
        var aws = new AwsClients(env);
        var dynamo = aws.dynamo();
        Clock clock = Clock.systemUTC();
        // Path-style where an endpoint is given (the local S3 stand-in); virtual-hosted on AWS.
        boolean local = env.optional("AWS_ENDPOINT_URL_S3").or(() -> env.optional("AWS_ENDPOINT_URL")).isPresent();
        S3Client s3 = aws.build(S3Client.builder().serviceConfiguration(S3Configuration.builder()
                .pathStyleAccessEnabled(local).chunkedEncodingEnabled(!local).build()), "S3");
        // The presigner signs offline with the client's region, credentials and endpoint.
        var config = s3.serviceClientConfiguration();
        var presignerBuilder = S3Presigner.builder().s3Client(s3).region(config.region())
                .credentialsProvider(config.credentialsProvider())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(local).build());
        config.endpointOverride().ifPresent(presignerBuilder::endpointOverride);
        S3Presigner presigner = presignerBuilder.build();
        var products = new DynamoProductAdminStore(dynamo, env.require("PRODUCTS_TABLE"), clock);
        var uploads = new S3ImageUploads(presigner, env.require("IMAGES_BUCKET"));
        var trail = new DynamoAuditTrail(dynamo, env.require("ADMIN_AUDIT_TABLE"), clock);
        var service = new AdminCatalogService(products,
                new DynamoHeldStock(dynamo, env.require("CHECKOUTS_TABLE"), clock),
                uploads, trail, env.require("IMAGES_BASE_URL"), clock);
        return new AdminCatalogDependencies(service, () -> {
            products.prime(AdminCatalogHandler.NOT_IN_THE_CATALOG);
            uploads.prime(AdminCatalogHandler.NOT_IN_THE_CATALOG);
            trail.prime();
        });
    }
}
