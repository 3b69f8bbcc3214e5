package shop.bench.probe;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hosts one handler the way the Lambda Java runtime does: the class and method named by the
 * template's Handler, the event parsed into the method's parameter type (or handed over as a
 * stream to a stream handler), a {@link Context}. Loaded next to the function's jar, so the
 * Jackson and Lambda classes it uses are the ones the function ships.
 */
public final class Invoker {
    private final Object handler;
    private final Method method;
    private final boolean streaming;
    private final ObjectMapper json = eventMapper();
    private final Context context;
    private String lastAnswer;

    private Invoker(Object handler, Method method, String functionName) {
        this.handler = handler;
        this.method = method;
        this.streaming = method.getParameterCount() == 3;
        this.context = new ProbeContext(functionName);
    }

    /**
     * Reads events as the runtime's own serializer (aws-lambda-java-serialization) does: it maps
     * "Records", "eventSourceARN"... onto the event classes, and with mixins of the same kind as
     * these, a ScheduledEvent's "detail-type" and its Joda time (joda-time is on the classpath
     * only of the functions with a schedule).
     */
    private static ObjectMapper eventMapper() {
        JsonMapper.Builder builder = JsonMapper.builder()
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        loaded("com.amazonaws.services.lambda.runtime.events.ScheduledEvent")
                .ifPresent(type -> builder.addMixIn(type, ScheduledEventNames.class));
        loaded("org.joda.time.DateTime").ifPresent(type -> builder.addMixIn(type, JodaTimeFromText.class));
        return builder.build();
    }

    private static Optional<Class<?>> loaded(String name) {
        try {
            return Optional.of(Class.forName(name, false, Invoker.class.getClassLoader()));
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
    }

    abstract static class ScheduledEventNames {
        @JsonProperty("detail-type")
        abstract void setDetailType(String detailType);
    }

    abstract static class JodaTimeFromText {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        JodaTimeFromText(Object instant) {
        }
    }

    /** As Lambda does it: the public no-arg constructor, reading this process's environment. */
    public static Invoker constructed(String handlerSpec) throws ReflectiveOperationException {
        Class<?> type = handlerClass(handlerSpec);
        return new Invoker(unwrap(() -> type.getConstructor().newInstance()), method(type, handlerSpec), type.getSimpleName());
    }

    /**
     * In-process: the public {@code (Map<String, String>)} constructor that the local server
     * uses, given the function's local environment. Null when the handler has none.
     */
    public static Invoker withEnvironment(String handlerSpec, Map<String, String> environment)
            throws ReflectiveOperationException {
        Class<?> type = handlerClass(handlerSpec);
        try {
            var constructor = type.getConstructor(Map.class);
            return new Invoker(unwrap(() -> constructor.newInstance(environment)), method(type, handlerSpec),
                    type.getSimpleName());
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** The event as the handler takes it: an instance of its parameter type, or the bytes for a stream handler. */
    public Object parse(String eventJson) throws Exception {
        if (streaming) {
            return eventJson.getBytes(StandardCharsets.UTF_8);
        }
        return json.readValue(eventJson, method.getParameterTypes()[0]);
    }

    /**
     * Invokes the handler and describes its answer: {@code HTTP_202}, {@code batch_failures_0},
     * {@code ok}, or {@code threw_<exception>}. The answer itself, as JSON, is {@link #lastAnswer}.
     */
    public String invoke(Object event) {
        lastAnswer = null;
        try {
            JsonNode answer;
            if (streaming) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                method.invoke(handler, new ByteArrayInputStream((byte[]) event), out, context);
                answer = json.readTree(out.toByteArray());
            } else {
                Object result = method.getParameterCount() == 2
                        ? method.invoke(handler, event, context)
                        : method.invoke(handler, event);
                answer = result == null ? null : json.valueToTree(result);
            }
            lastAnswer = answer == null ? null : answer.toString();
            return describe(answer);
        } catch (InvocationTargetException e) {
            return threw(e.getCause());
        } catch (Exception e) {
            return threw(e);
        }
    }

    /** The exception and its message: a missing class names itself there. */
    private static String threw(Throwable e) {
        String message = e.getMessage() == null ? "" : ":" + e.getMessage();
        return ("threw_" + e.getClass().getName() + message.substring(0, Math.min(message.length(), 160)))
                .replaceAll("\\s+", "_");
    }

    /** The answer of the last invocation as JSON (an API Gateway response: statusCode, headers, body). */
    public String lastAnswer() {
        return lastAnswer;
    }

    private static String describe(JsonNode answer) {
        if (answer != null && answer.has("statusCode")) {
            return "HTTP_" + answer.get("statusCode").asInt();
        }
        if (answer != null && answer.has("batchItemFailures")) {
            return "batch_failures_" + answer.get("batchItemFailures").size();
        }
        return "ok";
    }

    private static Class<?> handlerClass(String handlerSpec) throws ClassNotFoundException {
        return Class.forName(handlerSpec.split("::", 2)[0], true, Thread.currentThread().getContextClassLoader());
    }

    /** The Handler's method: (event, Context), (event), or a stream handler's (in, out, Context). */
    private static Method method(Class<?> type, String handlerSpec) {
        String[] parts = handlerSpec.split("::", 2);
        String name = parts.length == 2 ? parts[1] : "handleRequest";
        List<Method> candidates = Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(name) && !m.isBridge())
                .filter(m -> switch (m.getParameterCount()) {
                    case 1 -> true;
                    case 2 -> m.getParameterTypes()[1] == Context.class;
                    case 3 -> m.getParameterTypes()[0] == InputStream.class
                            && m.getParameterTypes()[1] == OutputStream.class;
                    default -> false;
                })
                .toList();
        return candidates.stream().max(Comparator.comparingInt(Method::getParameterCount))
                .orElseThrow(() -> new IllegalArgumentException("No handler method " + handlerSpec));
    }

    private interface Construction {
        Object run() throws ReflectiveOperationException;
    }

    /** A constructor's own exception, not the reflection wrapper, is what the bench should report. */
    private static Object unwrap(Construction construction) throws ReflectiveOperationException {
        try {
            return construction.run();
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
