package shop.bench.calls;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts every AWS call a function makes, by {@code Service.Operation}, with what it is billed
 * by: DynamoDB read and write request units (the interceptor asks each DynamoDB call to return
 * its consumed capacity) and SES recipients.
 *
 * <p>An ordinary SDK execution interceptor: every generated client registers it from
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}, a file only the bench's
 * in-process jar carries; production jars and code know nothing of it. Model fields are read
 * through {@link SdkPojo} by name, so the counter needs no service's model classes and loads
 * next to any function.
 */
public final class AwsCallCounter implements ExecutionInterceptor {
    private static final Map<String, Double> COUNTS = new TreeMap<>();

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
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        add("call:" + service + "." + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), 1);
        SdkResponse response = context.response();
        if ("DynamoDb".equals(service)) {
            String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            Object consumed = response.getValueForField("ConsumedCapacity", Object.class).orElse(null);
            List<?> capacities = consumed instanceof List<?> list ? list : consumed == null ? List.of() : List.of(consumed);
            if (capacities.isEmpty()) {
                // The service did not say (an emulator may not): a small item costs one unit.
                add(isRead(operation) ? "dynamodb.rru" : "dynamodb.wru", 1);
                add("dynamodb.estimated", 1);
            }
            for (Object capacity : capacities) {
                addCapacity((SdkPojo) capacity, isRead(operation));
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
     * DynamoDB reports reads and writes apart only for some operations; otherwise the total is
     * of the kind the operation does.
     */
    private static void addCapacity(SdkPojo capacity, boolean read) {
        Optional<Double> reads = value(capacity, "ReadCapacityUnits", Double.class);
        Optional<Double> writes = value(capacity, "WriteCapacityUnits", Double.class);
        if (reads.isPresent() || writes.isPresent()) {
            add("dynamodb.rru", reads.orElse(0.0));
            add("dynamodb.wru", writes.orElse(0.0));
        } else {
            add(read ? "dynamodb.rru" : "dynamodb.wru", value(capacity, "CapacityUnits", Double.class).orElse(0.0));
        }
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
