package shop.core.dynamo;

import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import shop.core.admin.ActivityLog;
import shop.core.admin.AdminAction;
import shop.core.admin.AuditTrail;
import shop.core.errors.InvalidInputException;
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
 * <p>Every line also carries its UTC day ({@value #DAY}, {@code YYYY-MM-DD}), the partition of the
 * index {@value #BY_DAY} (sort {@code at}): the owner's activity view reads a day of the whole
 * shop with one Query, newest first. Lines written before that attribute existed are not in the
 * index (they are still in their record's trail).
 *
 * <p>A line is written either on its own ({@link #record}) or as one operation of the
 * transaction that makes the change it records ({@link #line}), so that a function stopped
 * between the two cannot leave a change without its line.
 */
public final class DynamoAuditTrail implements AuditTrail, ActivityLog {
    /** A line's UTC day, {@code YYYY-MM-DD}: the partition of {@link #BY_DAY}. ("day" is a DynamoDB reserved word.) */
    public static final String DAY = "auditDay";
    /** The index of the whole shop's lines by day (partition {@link #DAY}, sort {@code at}). */
    public static final String BY_DAY = "byDay";
    private static final Pattern SUBJECT = Pattern.compile("[A-Z][A-Z_]{0,39}#[^\\p{Cntrl}]{1,250}");
    private static final Pattern LINE_AT = Pattern.compile(
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{9}Z#[0-9a-f-]{36}");

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
        item.put(DAY, s(day(action.at()).toString()));
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

    /** The UTC day a line written at {@code at} is listed under. */
    public static LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    /**
     * One Query (or a few, when lines past their expiry fill a page) on {@link #BY_DAY}, newest
     * first. The position is the index's key of the page's last line: subject, at and the day.
     */
    @Override
    public ActivityLog.Page onDay(LocalDate day, int limit, Optional<Map<String, String>> after) {
        String partition = day.toString();
        Map<String, AttributeValue> next = after.map(key -> start(partition, key)).orElse(null);
        List<AdminAction> lines = new ArrayList<>();
        Instant now = clock.instant();
        // Lines past their expiry (TTL deletes within days, not at the second) are left out, so a page may ask twice.
        do {
            QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName(BY_DAY)
                    .keyConditionExpression("#day = :day")
                    .expressionAttributeNames(Map.of("#day", DAY))
                    .expressionAttributeValues(Map.of(":day", s(partition)))
                    .scanIndexForward(false).limit(limit - lines.size());
            if (next != null) {
                query.exclusiveStartKey(next);
            }
            QueryResponse page = dynamo.query(query.build());
            for (Map<String, AttributeValue> item : page.items()) {
                if (!DynamoItems.expired(item, now)) {
                    lines.add(fromItem(item));
                }
            }
            next = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (next != null && lines.size() < limit);
        Optional<Map<String, String>> position = Optional.ofNullable(next).map(key -> {
            Map<String, String> strings = new HashMap<>();
            key.forEach((name, value) -> strings.put(name, value.s()));
            return strings;
        });
        return new ActivityLog.Page(lines, position);
    }

    /** A position handed out for {@code day}: exactly the index's key, each attribute in the shape this trail writes. */
    private static Map<String, AttributeValue> start(String day, Map<String, String> key) {
        if (!key.keySet().equals(Set.of("subject", "at", DAY)) || !key.get(DAY).equals(day)
                || !SUBJECT.matcher(key.get("subject")).matches() || !LINE_AT.matcher(key.get("at")).matches()
                || !key.get("at").startsWith(day + "T")) {
            throw InvalidInputException.unknownPageToken();
        }
        Map<String, AttributeValue> start = new HashMap<>();
        key.forEach((name, value) -> start.put(name, s(value)));
        return start;
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
