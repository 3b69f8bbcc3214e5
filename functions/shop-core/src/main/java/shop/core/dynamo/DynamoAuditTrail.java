package shop.core.dynamo;

import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import shop.core.admin.AdminAction;
import shop.core.admin.AuditTrail;
import shop.core.retention.RetentionSchedule;
import shop.core.snapstart.Priming;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * AdminAuditTable: partition {@code subject}, sort {@code at} (ISO instant plus a random suffix,
 * so two actions in one millisecond are both kept). Put only if absent, and the functions'
 * IAM policies grant PutItem and Query on it, never UpdateItem or DeleteItem: append-only.
 *
 * <p>A line is written either on its own ({@link #record}) or as one operation of the
 * transaction that makes the change it records ({@link #line}), so that a function stopped
 * between the two cannot leave a change without its line.
 */
public final class DynamoAuditTrail implements AuditTrail {
    /**
     * A line's time, fixed width to the nanosecond, so that the sort key orders lines by time:
     * {@code Instant.toString} leaves out a zero fraction, and "10:00:00Z" sorts after "10:00:00.5Z".
     */
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'",
            Locale.ROOT).withZone(ZoneOffset.UTC);


    private static final String PRIMING_SUBJECT = "PRIMING#never-recorded";
    private static final String NEW_LINE = "attribute_not_exists(subject)";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoAuditTrail(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public void record(AdminAction action) {
        dynamo.putItem(b -> b.tableName(table).item(item(action)).conditionExpression(NEW_LINE));
    }

    /**
     * The line of {@code action} as an operation of the caller's {@code TransactWriteItems}, next
     * to the change it records: both are written or neither. The transaction needs PutItem on
     * this table, as {@link #record} does.
     */
    public TransactWriteItem line(AdminAction action) {
        return TransactWriteItem.builder()
                .put(Put.builder().tableName(table).item(item(action)).conditionExpression(NEW_LINE).build())
                .build();
    }

    private static Map<String, AttributeValue> item(AdminAction action) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("subject", s(action.subject()));
        item.put("at", s(AT.format(action.at()) + "#" + UUID.randomUUID()));
        item.put("actor", s(action.actor()));
        item.put("actorName", s(action.actorName() == null ? action.actor() : action.actorName()));
        item.put("action", s(action.action()));
        if (action.before() != null) {
            item.put("before", s(action.before()));
        }
        if (action.after() != null) {
            item.put("after", s(action.after()));
        }
        item.put(RetentionSchedule.TTL_ATTRIBUTE, n(action.expiresAt()));
        return item;
    }

    /**
     * For SnapStart: a trail's Query and a line's PutItem, each stopped before it is sent, so no
     * permission is needed (some functions may only write the trail) and nothing is written.
     */
    public void prime() {
        Priming.unsent(override -> dynamo.query(QueryRequest.builder().tableName(table)
                .keyConditionExpression("subject = :s").expressionAttributeValues(Map.of(":s", s(PRIMING_SUBJECT)))
                .overrideConfiguration(override).build()));
        Priming.unsent(override -> dynamo.putItem(b -> b.tableName(table)
                .item(Map.of("subject", s(PRIMING_SUBJECT), "at", s("never")))
                .conditionExpression(NEW_LINE).overrideConfiguration(override)));
    }

    @Override
    public List<AdminAction> of(String subject) {
        List<AdminAction> actions = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        Instant now = clock.instant();
        do {
            QueryRequest.Builder query = QueryRequest.builder().tableName(table)
                    .keyConditionExpression("subject = :s")
                    .expressionAttributeValues(Map.of(":s", s(subject)));
            if (start != null) {
                query.exclusiveStartKey(start);
            }
            QueryResponse page = dynamo.query(query.build());
            for (Map<String, AttributeValue> item : page.items()) {
                if (!DynamoItems.expired(item, now)) {
                    actions.add(fromItem(item));
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        // Lines written before AT was fixed width (Instant.toString drops a zero fraction) sort by
        // their string after later lines of the same second; by time they read in order.
        actions.sort(Comparator.comparing(AdminAction::at));
        return actions;
    }

    private static AdminAction fromItem(Map<String, AttributeValue> item) {
        String at = item.get("at").s();
        return new AdminAction(item.get("subject").s(), Instant.parse(at.substring(0, at.indexOf('#'))),
                item.get("actor").s(), DynamoItems.string(item, "actorName").orElse(null), item.get("action").s(),
                DynamoItems.string(item, "before").orElse(null), DynamoItems.string(item, "after").orElse(null),
                Long.parseLong(item.get(RetentionSchedule.TTL_ATTRIBUTE).n()));
    }
}
