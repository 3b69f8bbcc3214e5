package shop.commerce.config;

import java.util.function.Supplier;

/**
 * A value computed on first use and kept for the life of the execution environment. A failure
 * is not kept: the next call tries again (an SSM parameter created after a request failed).
 */
public final class Once<T> implements Supplier<T> {
    private final Supplier<T> compute;
    private volatile T value;

    private Once(Supplier<T> compute) {
        this.compute = compute;
    }

    public static <T> Once<T> of(Supplier<T> compute) {
        return new Once<>(compute);
    }

    @Override
    public T get() {
        T current = value;
        if (current == null) {
            synchronized (this) {
                current = value;
                if (current == null) {
                    current = compute.get();
                    value = current;
                }
            }
        }
        return current;
    }
}
