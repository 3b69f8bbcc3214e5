package shop.commerce.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A function that stops between two writes, for the write-boundary tests: a port wrapped by
 * {@link #once} breaks on the first call of one method, then works as before, as the retried
 * invocation finds it.
 */
public final class Crash {
    /** Where the invocation stops, relative to the call. */
    public enum At {
        /** The call fails and writes nothing (the store refused, or the function died before it). */
        INSTEAD_OF,
        /** The call takes effect, then the function dies before the next statement. */
        RIGHT_AFTER
    }

    /**
     * The function died: an {@link Error}, so that no {@code catch (RuntimeException)} in the code
     * under test runs, just as nothing runs in a Lambda instance that was stopped.
     */
    public static final class Killed extends Error {
        Killed(String where) {
            super("killed " + where);
        }
    }

    private Crash() {
    }

    /** {@code target} as {@code port}, breaking once on {@code method}. */
    public static <T> T once(Class<T> port, T target, String method, At at) {
        if (Arrays.stream(port.getMethods()).noneMatch(m -> m.getName().equals(method))) {
            throw new IllegalArgumentException(port.getName() + " has no method " + method);
        }
        AtomicBoolean armed = new AtomicBoolean(true);
        Object proxy = Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (self, called, args) -> {
            boolean breakHere = called.getName().equals(method) && armed.compareAndSet(true, false);
            if (breakHere && at == At.INSTEAD_OF) {
                throw new IllegalStateException("injected failure instead of " + port.getSimpleName() + "." + method);
            }
            Object result;
            try {
                result = called.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (breakHere) {
                throw new Killed("right after " + port.getSimpleName() + "." + method);
            }
            return result;
        });
        return port.cast(proxy);
    }
}
