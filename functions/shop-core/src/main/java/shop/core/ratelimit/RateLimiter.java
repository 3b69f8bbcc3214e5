package shop.core.ratelimit;

import java.time.Duration;

/** Counts attempts per key in fixed windows; says whether one more is allowed. */
public interface RateLimiter {
    /**
     * Records an attempt under {@code key} in the current window of length {@code window};
     * true while at most {@code limit} attempts were made in it, this one included.
     */
    boolean tryAcquire(String key, int limit, Duration window);
}
