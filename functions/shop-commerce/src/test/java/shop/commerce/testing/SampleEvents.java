package shop.commerce.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import shop.local.stack.LambdaEvents;

/**
 * The sample events of {@code events/<function>/} (the files {@code sam local invoke -e} takes),
 * read into the Lambda event types the handlers receive.
 */
public final class SampleEvents {
    /** Lambda's own event names start upper-case ("Records", "eventSourceARN"). */
    private static final ObjectMapper LAMBDA = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private SampleEvents() {
    }

    public static APIGatewayV2HTTPEvent api(String file) {
        return read(file, APIGatewayV2HTTPEvent.class);
    }

    public static SQSEvent sqs(String file) {
        return read(file, SQSEvent.class);
    }

    /** An event read as a map, as Lambda passes events to a Map handler. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(String file) {
        return read(file, Map.class);
    }

    /** A scheduled (EventBridge) event, read by the Lambda runtime's own serializer. */
    public static ScheduledEvent scheduled(String file) {
        return LambdaEvents.parse(text(file), ScheduledEvent.class);
    }

    public static String text(String file) {
        try {
            return Files.readString(repositoryRoot().resolve("events").resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(String file, Class<T> type) {
        try {
            return LAMBDA.readValue(text(file), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path repositoryRoot() {
        return shop.local.stack.CfnTemplate.repositoryRoot();
    }
}
