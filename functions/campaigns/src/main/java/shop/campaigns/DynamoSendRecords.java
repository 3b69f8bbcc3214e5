package shop.campaigns;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Instant;
import java.util.Map;
import shop.core.retention.RetentionSchedule;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** Send records {@code SEND#<campaign id>#<address hash>} in the campaigns table: a conditional put claims the recipient. */
final class DynamoSendRecords implements SendRecords {
    private final DynamoDbClient dynamo;
    private final String table;

    DynamoSendRecords(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    static String pk(String campaignId, String addressHash) {
        return "SEND#" + campaignId + "#" + addressHash;
    }

    @Override
    public boolean claim(String campaignId, String addressHash, Instant at) {
        try {
            dynamo.putItem(b -> b.tableName(table).item(Map.of(
                            "pk", s(pk(campaignId, addressHash)),
                            "claimedAt", s(at.toString()),
                            RetentionSchedule.TTL_ATTRIBUTE, n(RetentionSchedule.CAMPAIGN_SEND_RECORD.expiresAt(at))))
                    .conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException alreadyTried) {
            return false;
        }
    }

    @Override
    public void sent(String campaignId, String addressHash, String messageId, Instant at) {
        dynamo.updateItem(b -> b.tableName(table).key(key(pk(campaignId, addressHash)))
                .updateExpression("SET messageId = :id, sentAt = :at")
                .expressionAttributeValues(Map.of(":id", s(messageId), ":at", s(at.toString()))));
    }

    @Override
    public void skipped(String campaignId, String addressHash, String why) {
        dynamo.updateItem(b -> b.tableName(table).key(key(pk(campaignId, addressHash)))
                .updateExpression("SET skipped = :why")
                .expressionAttributeValues(Map.of(":why", s(why))));
    }

    @Override
    public void release(String campaignId, String addressHash) {
        dynamo.deleteItem(b -> b.tableName(table).key(key(pk(campaignId, addressHash)))
                .conditionExpression("attribute_not_exists(messageId)"));
    }
}
