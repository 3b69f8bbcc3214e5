package shop.visits;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.s;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** Partner keys in the statistics table as {@code PARTNERKEY#<id>} with the secret's hash. */
public final class DynamoPartnerKeyStore implements PartnerKeyStore {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoPartnerKeyStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<PartnerKey> find(String keyId) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key("PARTNERKEY#" + keyId)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PartnerKey(keyId, item.get("partner").s(), item.get("secretHash").s()));
    }

    @Override
    public void save(PartnerKey key) {
        dynamo.putItem(b -> b.tableName(table)
                .item(Map.of("pk", s("PARTNERKEY#" + key.keyId()), "partner", s(key.partner()),
                        "secretHash", s(key.secretHash())))
                .conditionExpression("attribute_not_exists(pk)"));
    }

    @Override
    public boolean revoke(String keyId) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(key("PARTNERKEY#" + keyId))
                    .conditionExpression("attribute_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException unknown) {
            return false;
        }
    }

    @Override
    public List<PartnerKey> all() {
        return dynamo.scanPaginator(b -> b.tableName(table)
                        .filterExpression("begins_with(pk, :prefix)")
                        .expressionAttributeValues(Map.of(":prefix", s("PARTNERKEY#"))))
                .items().stream()
                .map(item -> new PartnerKey(item.get("pk").s().substring("PARTNERKEY#".length()),
                        item.get("partner").s(), item.get("secretHash").s()))
                .toList();
    }
}
