package shop.privacy.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import shop.core.json.Json;
import shop.local.stack.LambdaEvents;

/** The sample events of {@code events/privacy-requests/}, the same files {@code sam local invoke -e} takes. */
public final class Events {
    private Events() {
    }

    public static APIGatewayV2HTTPEvent http(String name) {
        return read(name, APIGatewayV2HTTPEvent.class);
    }

    /** A scheduled (EventBridge) event, read by the Lambda runtime's own serializer. */
    public static ScheduledEvent scheduled(String name) {
        return LambdaEvents.parse(text(name), ScheduledEvent.class);
    }

    /** A non-HTTP event (an SES receipt) as the Lambda runtime hands it to a Map handler. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(String name) {
        return read(name, Map.class);
    }

    public static String text(String name) {
        try {
            return Files.readString(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static APIGatewayV2HTTPEvent withToken(APIGatewayV2HTTPEvent event, String token) {
        event.setRawQueryString("token=" + token);
        event.setQueryStringParameters(Map.of("token", token));
        return event;
    }

    private static <T> T read(String name, Class<T> type) {
        try {
            return Json.mapper().readValue(text(name), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path file(String name) {
        return shop.local.stack.CfnTemplate.repositoryRoot().resolve("events/privacy-requests").resolve(name);
    }
}
