package shop.bench.calls;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;

/**
 * Counts every AWS call a function makes, by {@code Service.Operation}, with what it is billed
 * by: DynamoDB read and write request units (the interceptor asks each DynamoDB call to return
 * its consumed capacity) and SES recipients; the time spent in all AWS calls ({@code aws.ms}); and,
 * for DynamoDB, the time spent in its calls, the items each read evaluated and the read units
 * DynamoDB's own rule gives for what was read
 * ({@code dynamodb.rru.bySize}: a stand-in may report a flat figure per call), in all and by
 * table ({@code ...@<table>}).
 *
 * <p>An ordinary SDK execution interceptor: every generated client registers it from
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}, a file only the bench's
 * in-process jar carries; production jars and code know nothing of it. Model fields are read
 * through {@link SdkPojo} by name, so the counter needs no service's model classes and loads
 * next to any function.
 */
public final class AwsCallCounter implements ExecutionInterceptor {
    private static final Map<String, Double> COUNTS = new TreeMap<>();
    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("shop.bench.started");
    /** DynamoDB bills reads by 4 KB, a strongly consistent read a whole unit, an eventually consistent one half. */
    private static final double READ_UNIT_BYTES = 4096;
    /** DynamoDB bills writes by 1 KB (a transaction's twice). */
    private static final double WRITE_UNIT_BYTES = 1024;

    /** What was counted since the last call, and starts again from zero. */
    public static synchronized Map<String, Double> drain() {
        Map<String, Double> copy = new TreeMap<>(COUNTS);
        COUNTS.clear();
        return copy;
    }

    private static synchronized void add(String key, double amount) {
        COUNTS.merge(key, amount, Double::sum);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        addTime(attributes);
    }

    private static void addTime(ExecutionAttributes attributes) {
        Long started = attributes.getAttribute(STARTED);
        if (started == null) {
            return;
        }
        double millis = (System.nanoTime() - started) / 1e6;
        add("aws.ms", millis);
        if ("DynamoDb".equals(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME))) {
            add("dynamodb.ms", millis);
        }
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        if (!"DynamoDb".equals(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME))) {
            return request;
        }
        Optional<SdkField<?>> field = field(request, "ReturnConsumedCapacity");
        if (field.isEmpty()) {
            return request;
        }
        SdkRequest.Builder builder = request.toBuilder();
        field.get().set(builder, "TOTAL");
        return builder.build();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        addTime(attributes);
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        add("call:" + service + "." + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), 1);
        SdkResponse response = context.response();
        if ("DynamoDb".equals(service)) {
            String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            // Billed by DynamoDB's own rule, never by what the stand-in reports: moto 5.2.1 reports a
            // flat figure whatever the size (PutItem 1, GetItem and UpdateItem 0.5, where DynamoDB
            // bills a write at least 1 unit and a consistent read 1) and nothing for BatchWriteItem
            // and the transactions. Its figure is kept apart, as the stand-in's.
            Object consumed = response.getValueForField("ConsumedCapacity", Object.class).orElse(null);
            List<?> capacities = consumed instanceof List<?> list ? list : consumed == null ? List.of() : List.of(consumed);
            for (Object capacity : capacities) {
                addReported((SdkPojo) capacity, isRead(operation));
            }
            context.request().getValueForField("TableName", String.class)
                    .ifPresent(table -> add("dynamodb.calls@" + table, 1));
            if (isRead(operation)) {
                add("dynamodb.rru", addReadBySize(context.request(), response));
            } else {
                add("dynamodb.wru", writeUnits(operation, context.request()));
                if (!sizeKnown(operation, context.request())) {
                    add("dynamodb.estimated", 1);
                }
            }
        }
        if (service.regionMatches(true, 0, "SES", 0, 3)) {
            context.request().getValueForField("Destination", Object.class).ifPresent(destination -> {
                for (String part : List.of("ToAddresses", "CcAddresses", "BccAddresses")) {
                    add("ses.recipients", value((SdkPojo) destination, part, List.class).map(List::size).orElse(0));
                }
            });
        }
    }

    /**
     * What the stand-in reported: DynamoDB reports reads and writes apart only for some
     * operations; otherwise the total is of the kind the operation does.
     */
    private static void addReported(SdkPojo capacity, boolean read) {
        Optional<Double> reads = value(capacity, "ReadCapacityUnits", Double.class);
        Optional<Double> writes = value(capacity, "WriteCapacityUnits", Double.class);
        if (reads.isPresent() || writes.isPresent()) {
            add("dynamodb.rru.reported", reads.orElse(0.0));
            add("dynamodb.wru.reported", writes.orElse(0.0));
        } else {
            add(read ? "dynamodb.rru.reported" : "dynamodb.wru.reported",
                    value(capacity, "CapacityUnits", Double.class).orElse(0.0));
        }
    }

    /**
     * What DynamoDB would bill for this read: GetItem by its item's size; Query and Scan by the
     * summed size of the items they evaluated (the items returned, scaled up by
     * ScannedCount ÷ Count where a filter dropped some), rounded up to 4 KB; at least one unit.
     * A BatchGetItem counts each item as a GetItem; a read of another shape one unit. Returns the units.
     */
    private static double addReadBySize(SdkRequest request, SdkResponse response) {
        double factor = request.getValueForField("ConsistentRead", Boolean.class).orElse(false) ? 1.0 : 0.5;
        String table = request.getValueForField("TableName", String.class).orElse("?");
        Object item = response.getValueForField("Item", Object.class).orElse(null);
        if (item instanceof Map<?, ?> single) {
            return addRead(table, single.isEmpty() || single instanceof SdkAutoConstructMap ? 0 : 1,
                    factor * Math.max(1, Math.ceil(itemBytes(single) / READ_UNIT_BYTES)));
        }
        Object responses = response.getValueForField("Responses", Object.class).orElse(null);
        if (responses instanceof Map<?, ?> tables) {
            double units = 0;
            for (Map.Entry<?, ?> items : tables.entrySet()) {
                for (Object one : (Collection<?>) items.getValue()) {
                    units += addRead(items.getKey().toString(), 1,
                            factor * Math.max(1, Math.ceil(itemBytes((Map<?, ?>) one) / READ_UNIT_BYTES)));
                }
            }
            return units;
        }
        Object items = response.getValueForField("Items", Object.class).orElse(null);
        if (items instanceof List<?> list) {
            double bytes = list.stream().mapToDouble(one -> itemBytes((Map<?, ?>) one)).sum();
            int count = list.size();
            int scanned = response.getValueForField("ScannedCount", Integer.class).orElse(count);
            double evaluated = count == 0 ? scanned * 100.0 : bytes * scanned / count;
            return addRead(table, scanned, factor * Math.max(1, Math.ceil(evaluated / READ_UNIT_BYTES)));
        }
        return 1;
    }

    private static double addRead(String table, double items, double units) {
        add("dynamodb.items", items);
        add("dynamodb.items@" + table, items);
        add("dynamodb.rru.bySize", units);
        add("dynamodb.rru.bySize@" + table, units);
        return units;
    }

    /** An item's size as DynamoDB counts it: names and values, UTF-8. */
    private static double itemBytes(Map<?, ?> item) {
        double bytes = 0;
        for (Map.Entry<?, ?> attribute : item.entrySet()) {
            bytes += utf8(attribute.getKey().toString()) + valueBytes((SdkPojo) attribute.getValue());
        }
        return bytes;
    }

    private static double valueBytes(SdkPojo value) {
        double bytes = 0;
        for (SdkField<?> field : value.sdkFields()) {
            Object v = field.getValueOrDefault(value);
            if (v == null || v instanceof SdkAutoConstructList<?> || v instanceof SdkAutoConstructMap<?, ?>) {
                continue;
            }
            bytes += switch (field.memberName()) {
                case "S" -> utf8((String) v);
                case "N" -> number((String) v);
                case "B" -> ((SdkBytes) v).asByteArrayUnsafe().length;
                case "SS" -> ((List<?>) v).stream().mapToDouble(x -> utf8((String) x)).sum();
                case "NS" -> ((List<?>) v).stream().mapToDouble(x -> number((String) x)).sum();
                case "BS" -> ((List<?>) v).stream().mapToDouble(x -> ((SdkBytes) x).asByteArrayUnsafe().length).sum();
                case "M" -> 3 + ((Map<?, ?>) v).entrySet().stream()
                        .mapToDouble(e -> 1 + utf8(e.getKey().toString()) + valueBytes((SdkPojo) e.getValue())).sum();
                case "L" -> 3 + ((List<?>) v).stream().mapToDouble(x -> 1 + valueBytes((SdkPojo) x)).sum();
                case "NULL", "BOOL" -> 1;
                default -> 0;
            };
        }
        return bytes;
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** About one byte per two significant digits, plus one. */
    private static double number(String n) {
        return Math.ceil(n.replaceAll("[^0-9]", "").replaceAll("^0+|0+$", "").length() / 2.0) + 1;
    }

    /**
     * A write's units by DynamoDB's rule: a PutItem one a started kilobyte of its item; a
     * transaction's every item two a started kilobyte (TransactWriteItems and TransactGetItems); a
     * BatchWriteItem one a started kilobyte per put and one per delete; an UpdateItem, a
     * DeleteItem or a transaction's update, delete or condition check, whose item is not in the
     * request, at most one kilobyte: one unit (two in a transaction). Writes to a table's indexes
     * are not counted.
     */
    static double writeUnits(String operation, SdkRequest request) {
        return switch (operation) {
            case "PutItem" -> value(request, "Item", Map.class)
                    .map(item -> Math.max(1, Math.ceil(itemBytes(item) / WRITE_UNIT_BYTES))).orElse(1.0);
            case "TransactWriteItems" -> value(request, "TransactItems", List.class)
                    .map(items -> items.stream().mapToDouble(item -> 2.0 * kilobytes((SdkPojo) item, "Put")).sum())
                    .orElse(2.0);
            case "TransactGetItems" -> 2.0 * value(request, "TransactItems", List.class).map(List::size).orElse(1);
            case "BatchWriteItem" -> value(request, "RequestItems", Map.class)
                    .map(tables -> tables.values().stream().flatMap(writes -> ((List<?>) writes).stream())
                            .mapToDouble(write -> kilobytes((SdkPojo) write, "PutRequest")).sum())
                    .orElse(1.0);
            default -> 1;
        };
    }

    /** Whether {@link #writeUnits} saw every item it counted: only puts carry theirs. */
    private static boolean sizeKnown(String operation, SdkRequest request) {
        return switch (operation) {
            case "PutItem" -> true;
            case "TransactWriteItems" -> value(request, "TransactItems", List.class)
                    .map(items -> items.stream().allMatch(item -> value((SdkPojo) item, "Put", SdkPojo.class).isPresent()))
                    .orElse(false);
            case "BatchWriteItem" -> value(request, "RequestItems", Map.class)
                    .map(tables -> tables.values().stream().flatMap(writes -> ((List<?>) writes).stream())
                            .allMatch(write -> value((SdkPojo) write, "PutRequest", SdkPojo.class).isPresent()))
                    .orElse(false);
            default -> false;
        };
    }

    /** The started kilobytes of the item {@code write} puts (its {@code kind} member), or 1 when it puts none. */
    private static double kilobytes(SdkPojo write, String kind) {
        return value(write, kind, SdkPojo.class).flatMap(put -> value(put, "Item", Map.class))
                .map(item -> Math.max(1, Math.ceil(itemBytes(item) / WRITE_UNIT_BYTES))).orElse(1.0);
    }

    private static boolean isRead(String operation) {
        return operation.startsWith("Get") || operation.startsWith("BatchGet") || operation.startsWith("TransactGet")
                || operation.equals("Query") || operation.equals("Scan");
    }

    private static Optional<SdkField<?>> field(SdkPojo pojo, String name) {
        return pojo.sdkFields().stream().filter(f -> f.memberName().equals(name)).findFirst();
    }

    private static <T> Optional<T> value(SdkPojo pojo, String name, Class<T> type) {
        return field(pojo, name).map(f -> f.getValueOrDefault(pojo)).filter(type::isInstance).map(type::cast);
    }
}
