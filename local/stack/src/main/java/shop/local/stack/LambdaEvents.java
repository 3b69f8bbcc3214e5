package shop.local.stack;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

/**
 * Events read as the Lambda Java runtime reads them: its own serializer (the
 * aws-lambda-java-serialization library the runtime ships) for the aws-lambda-java-events types,
 * which knows their JSON names ("detail-type") and their Joda times, as a plain Jackson mapper
 * does not.
 */
public final class LambdaEvents {
    private LambdaEvents() {
    }

    /** True for the event classes the runtime's serializer reads (ScheduledEvent, SQSEvent...). */
    public static boolean isLambdaEvent(Class<?> type) {
        return LambdaEventSerializers.isLambdaSupportedEvent(type.getName());
    }

    public static <T> T parse(String json, Class<T> type) {
        if (!isLambdaEvent(type)) {
            throw new IllegalArgumentException(type.getName() + " is not an aws-lambda-java-events type");
        }
        return LambdaEventSerializers.serializerFor(type, type.getClassLoader()).fromJson(json);
    }
}
