package shop.local.server;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import shop.local.stack.CfnTemplate;
import shop.local.stack.IntrinsicResolver;
import shop.local.stack.LocalAws;

/**
 * The handlers of a template's functions, each created once (like a warm Lambda instance) and
 * invoked in this JVM. A handler gets its environment through a public constructor taking
 * {@code Map<String, String>} (the function's resolved Environment.Variables pointed at the
 * local services); one with only a no-arg constructor reads this JVM's real environment.
 */
public final class LocalFunctions {

    private final LocalAws aws;
    private final CfnTemplate template;
    private final Map<String, String> parameterOverrides;
    private final Map<String, String> environmentOverrides;
    private final Map<String, Instance> instances = new ConcurrentHashMap<>();

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
        return aws.resolver(template, parameterOverrides);
    }

    /**
     * Invokes the function's handler with {@code event} and returns what it returned; what the
     * handler throws is rethrown as is. Invocations of one function run one at a time, as on
     * one Lambda instance.
     */
    public Object invoke(String functionId, Object event) throws Exception {
        Instance instance = instances.computeIfAbsent(functionId, this::create);
        CfnTemplate.Function function = instance.function();
        LocalContext context = new LocalContext(functionId, UUID.randomUUID().toString(),
                "arn:aws:lambda:" + aws.region() + ":" + IntrinsicResolver.LOCAL_ACCOUNT_ID + ":function:" + functionId,
                function.timeoutSeconds(), function.memorySize());
        long started = System.nanoTime();
        try {
            synchronized (instance) {
                return instance.method().getParameterCount() == 2
                        ? instance.method().invoke(instance.handler(), event, context)
                        : instance.method().invoke(instance.handler(), event);
            }
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
                        aws.functionEnvironment(template, functionId, parameterOverrides));
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

    /** The handler method: named in Handler, (event, Context) or (event); the most specific event type wins. */
    private static Method method(Class<?> type, String name, String handler) {
        return Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(name) && !m.isBridge())
                .filter(m -> m.getParameterCount() == 1 || m.getParameterCount() == 2
                        && m.getParameterTypes()[1] == com.amazonaws.services.lambda.runtime.Context.class)
                .max(Comparator.comparingInt(Method::getParameterCount))
                .orElseThrow(() -> new IllegalStateException("No public method " + name + "(event, Context) in "
                        + type.getName() + " (Handler: " + handler + ")"));
    }
}
