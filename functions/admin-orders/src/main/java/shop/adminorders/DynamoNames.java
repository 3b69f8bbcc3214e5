package shop.adminorders;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import shop.core.dynamo.DynamoBatchReads;
import shop.core.dynamo.DynamoItems;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * The names the activity view gives the lines' subjects (an order's number, a campaign's subject): one string
 * attribute of items keyed by {@code pk} alone, read in {@code BatchGetItem}s of 100 keys (a page of the activity
 * view is at most 100 lines), only that attribute and the expiry.
 */
final class DynamoNames {
    private DynamoNames() {
    }

    /**
     * The {@code attribute} of each item of {@code pks} (all starting with {@code prefix}, distinct) that has it and has
     * not expired at {@code now}, by its pk without the prefix; any other is absent.
     */
    static Map<String, String> of(DynamoDbClient dynamo, String table, String prefix, List<String> pks, String attribute,
            Instant now) {
        Map<String, String> names = new HashMap<>();
        for (int from = 0; from < pks.size(); from += 100) {
            DynamoBatchReads.byPk(dynamo, table, KeysAndAttributes.builder()
                    .keys(pks.subList(from, Math.min(pks.size(), from + 100)).stream().map(DynamoItems::key).toList())
                    .projectionExpression("pk, #name, expiresAt")
                    .expressionAttributeNames(Map.of("#name", attribute)).build())
                    .forEach((pk, item) -> {
                        if (!DynamoItems.expired(item, now) && item.containsKey(attribute)) {
                            names.put(pk.substring(prefix.length()), item.get(attribute).s());
                        }
                    });
        }
        return names;
    }
}
