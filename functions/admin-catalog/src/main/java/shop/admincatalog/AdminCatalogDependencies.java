package shop.admincatalog;

import java.time.Clock;
import shop.core.aws.AwsClients;
import shop.core.config.Env;
import shop.core.dynamo.DynamoAuditTrail;
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
        // Only the presigner: the function signs uploads offline and never calls S3 itself, so it
        // builds no S3 client (whose generated class alone loads S3's whole model at cold start).
        S3Presigner presigner = aws.s3Presigner();
        // Every change is written with its trail line, in one transaction of the products store.
        var trail = new DynamoAuditTrail(dynamo, env.require("ADMIN_AUDIT_TABLE"), clock);
        var products = new DynamoProductAdminStore(dynamo, env.require("PRODUCTS_TABLE"), trail, clock);
        var uploads = new S3ImageUploads(presigner, env.require("IMAGES_BUCKET"));
        var service = new AdminCatalogService(products, uploads, env.require("IMAGES_BASE_URL"), clock);
        return new AdminCatalogDependencies(service, () -> {
            products.prime(AdminCatalogHandler.NOT_IN_THE_CATALOG);
            uploads.prime(AdminCatalogHandler.NOT_IN_THE_CATALOG);
            trail.prime();
        });
    }
}
