package shop.campaigns;

import java.util.Map;
import shop.core.aws.AwsClients;
import shop.core.config.Env;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * One-off, run by the developer once after the deploy that added campaigns (README, "Deploying"):
 * gives the subscribers confirmed before then the {@code audience} attribute that puts them in the
 * ConfirmedSubscribers index, as a confirmation now does. A scan, once, outside any request; the
 * conditional write leaves anyone who unsubscribed meanwhile alone. Running it twice changes nothing.
 */
public final class DynamoAudienceBackfill {
    private DynamoAudienceBackfill() {
    }

    public static void main(String[] args) {
        if (args.length != 2 || !args[0].equals("--table")) {
            System.err.println("usage: DynamoAudienceBackfill --table <SubscribersTableName>");
            System.exit(2);
        }
        DynamoDbClient dynamo = new AwsClients(Env.system()).dynamo();
        System.out.println("confirmed subscribers added to the index: " + run(dynamo, args[1]));
    }

    public static long run(DynamoDbClient dynamo, String table) {
        long added = 0;
        for (var page : dynamo.scanPaginator(b -> b.tableName(table)
                .filterExpression("begins_with(pk, :subscriber) AND #status = :confirmed AND attribute_not_exists(audience)")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":subscriber", AttributeValue.fromS("SUBSCRIBER#"),
                        ":confirmed", AttributeValue.fromS("CONFIRMED"))))) {
            for (var item : page.items()) {
                try {
                    dynamo.updateItem(b -> b.tableName(table).key(Map.of("pk", item.get("pk")))
                            .updateExpression("SET audience = :audience")
                            .conditionExpression("#status = :confirmed")
                            .expressionAttributeNames(Map.of("#status", "status"))
                            .expressionAttributeValues(Map.of(":audience", AttributeValue.fromS("newsletter"),
                                    ":confirmed", AttributeValue.fromS("CONFIRMED"))));
                    added++;
                } catch (ConditionalCheckFailedException unsubscribedMeanwhile) {
                    // Gone or changed since the scan: nothing to add.
                }
            }
        }
        return added;
    }
}
