package shop.adminorders;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import shop.commerce.orders.OrderIndexes;
import shop.core.aws.AwsClients;
import shop.core.config.Env;
import shop.core.security.AddressHasher;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * One-off upgrade step: gives the orders written before the indexes existed their
 * {@code listedAt}, {@code createdMonth} and {@code emailHash}, so they show in the back office's
 * lists and export and are found by privacy requests, and an order whose dispute is open its
 * {@code disputeOpen} and {@code disputeDueBy}, so it shows among the open disputes. A Scan, run once by the operator, never on
 * a request path; each write only adds what is missing, so running it twice changes nothing.
 *
 * <pre>ADDRESS_HASH_KEY=... AWS_REGION=eu-west-1 java -cp functions/admin-orders/target/admin-orders.jar \
 *     shop.adminorders.DynamoOrderIndexBackfill &lt;OrdersTable name&gt;</pre>
 */
public final class DynamoOrderIndexBackfill {
    private DynamoOrderIndexBackfill() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ADDRESS_HASH_KEY=... java ... shop.adminorders.DynamoOrderIndexBackfill <OrdersTable name>");
            System.exit(2);
        }
        Env env = Env.system();
        int updated = run(new AwsClients(env).dynamo(), args[0], new AddressHasher(env.require("ADDRESS_HASH_KEY")));
        System.out.println(updated + " orders given their index attributes");
    }

    static int run(DynamoDbClient dynamo, String table, AddressHasher hasher) {
        int updated = 0;
        var scan = dynamo.scanPaginator(b -> b.tableName(table)
                .filterExpression("begins_with(pk, :order) AND (attribute_not_exists(listedAt) OR attribute_not_exists(emailHash)"
                        + " OR (attribute_exists(dispute) AND attribute_not_exists(dispute.outcome)"
                        + " AND attribute_not_exists(disputeOpen)))")
                .expressionAttributeValues(Map.of(":order", s("ORDER#"))));
        for (var page : scan) {
            for (var item : page.items()) {
                boolean disputeListed = openDispute(dynamo, table, item);
                if (!item.containsKey("createdAt")
                        || item.containsKey(OrderIndexes.LISTED_AT) && item.containsKey(OrderIndexes.EMAIL_HASH)) {
                    updated += disputeListed ? 1 : 0;
                    continue;
                }
                String id = item.get("pk").s().substring("ORDER#".length());
                Instant createdAt = Instant.parse(item.get("createdAt").s());
                Map<String, String> names = new HashMap<>(Map.of("#listed", OrderIndexes.LISTED_AT,
                        "#month", OrderIndexes.CREATED_MONTH));
                Map<String, AttributeValue> values = new HashMap<>(Map.of(
                        ":listed", s(OrderIndexes.listedAt(createdAt, id)),
                        ":month", s(OrderIndexes.createdMonth(createdAt))));
                String set = "SET #listed = if_not_exists(#listed, :listed), #month = if_not_exists(#month, :month)";
                if (item.containsKey("customerEmail") && item.get("customerEmail").s() != null) {
                    names.put("#hash", OrderIndexes.EMAIL_HASH);
                    values.put(":hash", s(OrderIndexes.emailHash(hasher, item.get("customerEmail").s())));
                    set += ", #hash = if_not_exists(#hash, :hash)";
                }
                String update = set;
                try {
                    dynamo.updateItem(b -> b.tableName(table).key(key(item.get("pk").s()))
                            .updateExpression(update)
                            .conditionExpression("attribute_exists(pk)")
                            .expressionAttributeNames(names).expressionAttributeValues(values));
                    updated++;
                } catch (ConditionalCheckFailedException gone) {
                    // Expired or erased meanwhile.
                    updated += disputeListed ? 1 : 0;
                }
            }
        }
        return updated;
    }

    /**
     * An order whose dispute was recorded open before the open-disputes index existed gets its keys
     * ({@code disputeOpen}, {@code disputeDueBy}), as {@code DynamoOrderAccounts.recordDispute} writes
     * them now; conditional on the dispute as read, so one closed meanwhile is left out of the list.
     */
    private static boolean openDispute(DynamoDbClient dynamo, String table, Map<String, AttributeValue> item) {
        AttributeValue value = item.get("dispute");
        if (value == null || !value.hasM() || value.m().containsKey("outcome") || !value.m().containsKey("status")
                || item.containsKey(OrderIndexes.DISPUTE_OPEN)) {
            return false;
        }
        Map<String, AttributeValue> dispute = value.m();
        String id = item.get("pk").s().substring("ORDER#".length());
        Instant due = dispute.containsKey("evidenceDueBy") ? Instant.parse(dispute.get("evidenceDueBy").s()) : null;
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(item.get("pk").s()))
                    .updateExpression("SET #open = :open, #due = :due")
                    .conditionExpression("dispute.#status = :status AND attribute_not_exists(dispute.outcome)")
                    .expressionAttributeNames(Map.of("#open", OrderIndexes.DISPUTE_OPEN, "#due", OrderIndexes.DISPUTE_DUE_BY,
                            "#status", "status"))
                    .expressionAttributeValues(Map.of(":open", s(OrderIndexes.OPEN), ":due", s(OrderIndexes.disputeDueBy(due, id)),
                            ":status", dispute.get("status"))));
            return true;
        } catch (ConditionalCheckFailedException changed) {
            return false; // closed or moved on meanwhile: the webhook's own write keeps the index right from there
        }
    }
}
