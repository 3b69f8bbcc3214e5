package shop.core.errors;

import java.time.Duration;

/**
 * The caller went past a per-client limit; {@code retryAfter} is when the limit frees up at the
 * latest. Nothing was written for the refused request.
 */
public class TooManyRequestsException extends RuntimeException {
    private final Duration retryAfter;

    public TooManyRequestsException(String detail, Duration retryAfter) {
        super(detail);
        this.retryAfter = retryAfter;
    }

    /** Whole seconds, at least one: what the {@code Retry-After} header says. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
