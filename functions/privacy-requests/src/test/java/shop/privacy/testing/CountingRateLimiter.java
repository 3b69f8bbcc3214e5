package shop.privacy.testing;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import shop.core.ratelimit.RateLimiter;

/** Counts per key and window like the DynamoDB limiter, in memory. */
public final class CountingRateLimiter implements RateLimiter {
    private final Map<String, Integer> hits = new HashMap<>();
    private final Clock clock;

    public CountingRateLimiter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public boolean tryAcquire(String key, int limit, Duration window) {
        long windowStart = clock.instant().getEpochSecond() / window.toSeconds();
        return hits.merge(key + "#" + windowStart, 1, Integer::sum) <= limit;
    }
}
