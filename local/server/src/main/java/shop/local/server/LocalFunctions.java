package shop.local.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import shop.local.stack.CfnTemplate;
import shop.local.stack.IntrinsicResolver;
import shop.local.stack.LambdaEvents;
import shop.local.stack.LocalAws;

/**
 * The handlers of a template's functions, each created once (like a warm Lambda instance) and
 * invoked in this JVM. A handler gets its environment through a public constructor taking
 * {@code Map<String, String>} (the function's resolved Environment.Variables pointed at the
 * local services); one with only a no-arg constructor reads this JVM's real environment.
 *
 * <p>Like Lambda, a function runs one invocation per instance at a time and scales out to more
 * instances when invocations overlap, here up to {@code maxInstances} per function (1 unless a
 * test asks for more, so that races between concurrent invocations of one function really run
 * in parallel).
 */
public final class LocalFunctions {
    private static final ObjectMapper EVENT_JSON = new ObjectMapper();

    private final LocalAws aws;
    private final CfnTemplate template;
    private final Map<String, String> parameterOverrides;
    /** Values the local API server supplies once it listens (its PublicApiUrl and AdminPageUrl), unless the caller set them. */
    private final Map<String, String> servedParameters = new ConcurrentHashMap<>();
    private final Map<String, String> environmentOverrides;
    private final int maxInstances;
    private final Map<String, Pool> pools = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicLong> invocations = new ConcurrentHashMap<>();

    public LocalFunctions(LocalAws aws, CfnTemplate template, Map<String, String> parameterOverrides) {
        this(aws, template, parameterOverrides, Map.of());
    }

    /**
     * {@code environmentOverrides} replace variables a function's local environment already has
     * (real Stripe test keys instead of the stand-in's; an SES endpoint that fails, in a test);
     * a function without the variable does not get it.
     */
    public LocalFunctions(LocalAws aws, CfnTemplate template, Map<String, String> parameterOverrides,
                          Map<String, String> environmentOverrides) {
        this(aws, template, parameterOverrides, environmentOverrides, 1);
    }

    /** {@code maxInstances}: how many instances of one function may run at once (Lambda's scaling out). */
    public LocalFunctions(LocalAws aws, CfnTemplate template, Map<String, String> parameterOverrides,
                          Map<String, String> environmentOverrides, int maxInstances) {
        if (maxInstances < 1) {
            throw new IllegalArgumentException("At least one instance per function");
        }
        this.maxInstances = maxInstances;
        this.aws = aws;
        this.template = template;
        this.parameterOverrides = Map.copyOf(parameterOverrides);
        this.environmentOverrides = Map.copyOf(environmentOverrides);
    }

    public LocalAws aws() {
        return aws;
    }

    public CfnTemplate template() {
        return template;
    }

    public IntrinsicResolver resolver() {
        return aws.resolver(template, parameters());
    }

    /**
     * The API now listens at {@code baseUri}: functions created from now on get it as
     * PublicApiUrl (links in mail are built from configuration, never from a request header) and
     * its admin page as AdminPageUrl, unless the caller gave them itself (an empty value stands for
     * a stack without one).
     */
    void servedAt(java.net.URI baseUri) {
        if (!parameterOverrides.containsKey("PublicApiUrl")) {
            servedParameters.put("PublicApiUrl", baseUri.toString());
        }
        // The admin page is served here too: the owner's local mails link to it as deployed ones to AdminPageUrl.
        if (!parameterOverrides.containsKey("AdminPageUrl")) {
            servedParameters.put("AdminPageUrl", baseUri.resolve("/admin/").toString());
        }
    }

    private Map<String, String> parameters() {
        Map<String, String> parameters = new java.util.HashMap<>(servedParameters);
        parameters.putAll(parameterOverrides);
        return parameters;
    }

    /**
     * Invokes the function's handler with {@code event} and returns what it returned; what the
     * handler throws is rethrown as is. Each instance runs one invocation at a time, as on Lambda.
     */
    public Object invoke(String functionId, Object event) throws Exception {
        invocations.computeIfAbsent(functionId, id -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
        Pool pool = pools.computeIfAbsent(functionId, id -> new Pool(new Semaphore(maxInstances, true),
                new ConcurrentLinkedDeque<>()));
        pool.running().acquire();
        Instance instance = pool.idle().pollFirst();
        try {
            if (instance == null) {
                instance = create(functionId);
            }
            return invoke(functionId, instance, event);
        } finally {
            if (instance != null) {
                pool.idle().addFirst(instance);
            }
            pool.running().release();
        }
    }

    private Object invoke(String functionId, Instance instance, Object event) throws Exception {
        CfnTemplate.Function function = instance.function();
        LocalContext context = new LocalContext(functionId, UUID.randomUUID().toString(),
                "arn:aws:lambda:" + aws.region() + ":" + IntrinsicResolver.LOCAL_ACCOUNT_ID + ":function:" + functionId,
                function.timeoutSeconds(), function.memorySize());
        long started = System.nanoTime();
        try {
            if (instance.method().getParameterCount() == 3) {
                return invokeStreaming(instance, event, context);
            }
            Object input = asHandlerTakesIt(instance.method().getParameterTypes()[0], event);
            return instance.method().getParameterCount() == 2
                    ? instance.method().invoke(instance.handler(), input, context)
                    : instance.method().invoke(instance.handler(), input);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (millis > function.timeoutSeconds() * 1000L) {
                System.err.printf("local: %s ran %d ms, longer than its Timeout of %d s; Lambda would have stopped it%n",
                        functionId, millis, function.timeoutSeconds());
            }
        }
    }

    /**
     * A stream handler ({@code RequestStreamHandler}) gets the event as JSON bytes, as Lambda
     * gives it: {@code event} as given if it is a String or bytes, else serialized (a map, say).
     * Its answer is the JSON it wrote, read back (a map for an object); null when it wrote nothing.
     */
    private static Object invokeStreaming(Instance instance, Object event, LocalContext context) throws Exception {
        byte[] json = event instanceof byte[] bytes ? bytes
                : event instanceof String text ? text.getBytes(java.nio.charset.StandardCharsets.UTF_8)
                : EVENT_JSON.writeValueAsBytes(event);
        var output = new java.io.ByteArrayOutputStream();
        instance.method().invoke(instance.handler(), new java.io.ByteArrayInputStream(json), output, context);
        return output.size() == 0 ? null : EVENT_JSON.readValue(output.toByteArray(), Object.class);
    }

    /**
     * The event as the Lambda runtime hands it to a handler taking {@code type}: an event given as
     * a map (a schedule's, say) read by the runtime's own serializer into an aws-lambda-java-events
     * type such as ScheduledEvent.
     */
    private static Object asHandlerTakesIt(Class<?> type, Object event) throws JsonProcessingException {
        if (type.isInstance(event) || !(event instanceof Map<?, ?>) || !LambdaEvents.isLambdaEvent(type)) {
            return event;
        }
        return LambdaEvents.parse(EVENT_JSON.writeValueAsString(event), type);
    }

    /** How often {@code functionId} has been invoked here: a test's proof that a refused request ran nothing. */
    public long invocations(String functionId) {
        var count = invocations.get(functionId);
        return count == null ? 0 : count.get();
    }

    /** Instances not running now, and permits for the ones that may run. */
    private record Pool(Semaphore running, Deque<Instance> idle) {}

    private record Instance(CfnTemplate.Function function, Object handler, Method method) {}

    private Instance create(String functionId) {
        CfnTemplate.Function function = template.function(functionId);
        String[] handler = function.handler().split("::", 2);
        String methodName = handler.length == 2 ? handler[1] : "handleRequest";
        try {
            Class<?> type = Class.forName(handler[0], true, LocalFunctions.class.getClassLoader());
            Object instance = construct(type, functionId);
            return new Instance(function, instance, method(type, methodName, function.handler()));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Handler class " + handler[0] + " of " + functionId
                    + " is not on the local server's classpath: add its module as a dependency of local/server", e);
        }
    }

    private Object construct(Class<?> type, String functionId) {
        try {
            Optional<Constructor<?>> withEnvironment = Arrays.stream(type.getConstructors())
                    .filter(c -> c.getParameterCount() == 1 && c.getParameterTypes()[0] == Map.class).findFirst();
            if (withEnvironment.isPresent()) {
                Map<String, String> environment = new java.util.LinkedHashMap<>(
                        aws.functionEnvironment(template, functionId, parameters()));
                environmentOverrides.forEach((name, value) -> environment.replace(name, value));
                return withEnvironment.get().newInstance(environment);
            }
            System.err.printf("local: %s has no public (Map<String, String>) constructor; its no-arg constructor "
                    + "reads this JVM's environment, not the function's local one%n", type.getName());
            return type.getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Creating " + type.getName() + " for " + functionId + " failed: "
                    + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getName() + " needs a public constructor taking Map<String, String> "
                    + "or a public no-arg constructor", e);
        }
    }

    /**
     * The handler method: named in Handler, (event, Context), (event) or a stream handler's
     * (InputStream, OutputStream, Context); the most specific wins.
     */
    private static Method method(Class<?> type, String name, String handler) {
        return Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(name) && !m.isBridge())
                .filter(m -> switch (m.getParameterCount()) {
                    case 1 -> true;
                    case 2 -> m.getParameterTypes()[1] == com.amazonaws.services.lambda.runtime.Context.class;
                    case 3 -> m.getParameterTypes()[0] == java.io.InputStream.class
                            && m.getParameterTypes()[1] == java.io.OutputStream.class
                            && m.getParameterTypes()[2] == com.amazonaws.services.lambda.runtime.Context.class;
                    default -> false;
                })
                .max(Comparator.comparingInt(Method::getParameterCount))
                .orElseThrow(() -> new IllegalStateException("No public method " + name + "(event, Context) in "
                        + type.getName() + " (Handler: " + handler + ")"));
    }
}
