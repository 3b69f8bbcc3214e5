package shop.visits;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import shop.core.dynamo.DynamoItems;
import shop.core.retention.RetentionSchedule;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * The visits table (template.yaml's VisitsTable): {@code LOG#<uuid>} log lines,
 * {@code SALT#<day>} and {@code SEEN#<day>#<hash>}; every item expires.
 */
final class DynamoVisitStore implements VisitStore {
    private static final String TTL = RetentionSchedule.TTL_ATTRIBUTE;
    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    DynamoVisitStore(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public void log(VisitLogEntry entry, Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(key("LOG#" + UUID.randomUUID()));
        item.put("at", s(entry.at().toString()));
        item.put("sourceIp", s(entry.sourceIp()));
        item.put("userAgent", s(entry.userAgent()));
        item.put("browser", s(entry.browserFamily()));
        item.put("os", s(entry.osFamily()));
        item.put("path", s(entry.path()));
        entry.referrerHost().ifPresent(host -> item.put("referrerHost", s(host)));
        item.put(TTL, n(expiresAt.getEpochSecond()));
        dynamo.putItem(PutItemRequest.builder().tableName(table).item(item).build());
    }

    @Override
    public Optional<String> salt(LocalDate day) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key("SALT#" + day)).consistentRead(true)).item();
        return DynamoItems.live(item, clock.instant()).map(found -> found.get("salt").s());
    }

    @Override
    public String saltOnce(LocalDate day, String salt, Instant expiresAt) {
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table)
                    .item(Map.of("pk", s("SALT#" + day), "salt", s(salt), TTL, n(expiresAt.getEpochSecond())))
                    .conditionExpression("attribute_not_exists(pk)")
                    .build());
            return salt;
        } catch (ConditionalCheckFailedException anotherInstanceWasFirst) {
            return salt(day).orElseThrow();
        }
    }

    @Override
    public boolean firstSeen(LocalDate day, String visitorHash, Instant expiresAt) {
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table)
                    .item(Map.of("pk", s("SEEN#" + day + "#" + visitorHash), TTL, n(expiresAt.getEpochSecond())))
                    .conditionExpression("attribute_not_exists(pk)")
                    .build());
            return true;
        } catch (ConditionalCheckFailedException seenBefore) {
            return false;
        }
    }
}
