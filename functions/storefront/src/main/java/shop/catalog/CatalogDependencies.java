package shop.catalog;

import java.time.Clock;
import shop.commerce.catalog.DynamoProductStore;
import shop.core.aws.AwsClients;
import shop.core.config.Env;

/** Wires the catalog to DynamoDB, from the variables template.yaml sets. */
final class CatalogDependencies {
    private CatalogDependencies() {
    }

    static CatalogService fromEnvironment(Env env) {
        return new CatalogService(new DynamoProductStore(new AwsClients(env).dynamo(), env.require("PRODUCTS_TABLE"),
                Clock.systemUTC()));
    }
}
