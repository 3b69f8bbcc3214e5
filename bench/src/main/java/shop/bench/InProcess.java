package shop.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import shop.bench.probe.ProbeOutput;

/**
 * One function's handler in this JVM, loaded from its deployable jar alone (plus the bench's
 * in-process jar) in a class loader of its own, so what runs is what ships, minimised or not.
 * Used for warm latency and for counting the AWS calls of the business flows.
 */
final class InProcess implements AutoCloseable {
    /** One invocation: how the handler answered (see Invoker), how long it took, the answer as JSON. */
    record Invocation(String outcome, long nanos, String answer) {
        boolean succeeded() {
            return ProbeOutput.succeeded(outcome);
        }

        double millis() {
            return nanos / 1e6;
        }
    }

    private final FunctionUnderTest function;
    private final URLClassLoader loader;
    private final Object invoker;
    private final Method parse;
    private final Method invoke;
    private final Method drain;
    private final Method lastAnswer;

    private InProcess(FunctionUnderTest function, URLClassLoader loader, Object invoker) throws ReflectiveOperationException {
        this.function = function;
        this.loader = loader;
        this.invoker = invoker;
        Class<?> type = loader.loadClass("shop.bench.probe.Invoker");
        this.parse = type.getMethod("parse", String.class);
        this.invoke = type.getMethod("invoke", Object.class);
        this.lastAnswer = type.getMethod("lastAnswer");
        this.drain = loader.loadClass("shop.bench.calls.AwsCallCounter").getMethod("drain");
    }

    /**
     * The handler built with its {@code (Map<String, String>)} constructor and the function's
     * local environment, as the local server does; fails when it has no such constructor,
     * because its no-arg one would read this JVM's environment instead.
     */
    static InProcess start(FunctionUnderTest function, HelperJars jars, Map<String, String> environment)
            throws Exception {
        URLClassLoader loader = new URLClassLoader(function.logicalId(),
                new URL[] {url(function.jar()), url(jars.inProcess())}, ClassLoader.getPlatformClassLoader());
        try {
            Object invoker = within(loader, () -> loader.loadClass("shop.bench.probe.Invoker")
                    .getMethod("withEnvironment", String.class, Map.class)
                    .invoke(null, function.handler(), environment));
            if (invoker == null) {
                throw new IllegalStateException(function.handler() + " has no public (Map<String, String>) constructor");
            }
            return new InProcess(function, loader, invoker);
        } catch (Exception | Error e) {
            loader.close();
            throw e;
        }
    }

    FunctionUnderTest function() {
        return function;
    }

    /** Parses the event first, then times the handler call alone. */
    Invocation invoke(String eventJson) throws Exception {
        return within(loader, () -> {
            Object event = parse.invoke(invoker, eventJson);
            long started = System.nanoTime();
            String outcome = (String) invoke.invoke(invoker, event);
            long nanos = System.nanoTime() - started;
            return new Invocation(outcome, nanos, (String) lastAnswer.invoke(invoker));
        });
    }

    /** The AWS calls counted since the last drain, in every in-process function. */
    @SuppressWarnings("unchecked")
    Map<String, Double> drainCounts() throws ReflectiveOperationException {
        return (Map<String, Double>) drain.invoke(null);
    }

    @Override
    public void close() throws Exception {
        loader.close();
    }

    private interface Action<T> {
        T run() throws Exception;
    }

    /** The SDK finds its interceptors file through the context class loader. */
    private static <T> T within(ClassLoader loader, Action<T> action) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.run();
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static URL url(java.nio.file.Path path) throws MalformedURLException {
        return path.toUri().toURL();
    }
}
