package shop.visits;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import shop.core.errors.TooManyRequestsException;
import shop.core.logging.Log;
import shop.core.ratelimit.RateLimiter;
import shop.core.security.ClientNetwork;
import shop.core.retention.RetentionSchedule;
import shop.core.security.Tokens;

/**
 * Counts page views and daily unique visitors without cookies, as Plausible and Fathom do: a
 * visitor is a hash of IP, user agent and a random salt that changes every day and is then
 * thrown away, so yesterday's visitors cannot be linked to today's, nor to anyone.
 */
public final class VisitService {
    /**
     * Far above what a person browsing sends (a page a second, for a minute), and low enough that
     * one client cannot turn the beacon into a bill: past it a beacon costs one refused
     * conditional write instead of three writes.
     */
    static final int PAGE_VIEWS_PER_IP_PER_MINUTE = 120;
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** The refused beacons are counted, not logged one by one (a flood would make a log bill of its own). */
    static final Duration REFUSALS_LOGGED_EVERY = Duration.ofMinutes(1);

    private final VisitStore store;
    private final DailyCounters counters;
    private final UserAgentParser agents;
    private final RateLimiter limiter;
    private final Clock clock;
    private final AtomicLong refused = new AtomicLong();
    private volatile Instant refusalsLoggedAt = Instant.EPOCH;
    /** One salt per day per instance: saves a read per beacon. */
    private final Map<LocalDate, String> salts = new ConcurrentHashMap<>();

    public VisitService(VisitStore store, DailyCounters counters, UserAgentParser agents, RateLimiter limiter,
                        Clock clock) {
        this.store = store;
        this.counters = counters;
        this.agents = agents;
        this.limiter = limiter;
        this.clock = clock;
    }

    /**
     * Counts the page view and logs it (unless the browser opted out).
     *
     * @throws TooManyRequestsException past {@link #PAGE_VIEWS_PER_IP_PER_MINUTE} from one IP,
     *         with nothing written: the IP is counted under a hash salted with the day's salt
     */
    public void record(PageView view, Visitor visitor) {
        Instant now = clock.instant();
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (!limiter.tryAcquire("visits:ip:" + sha256(salt(day, now) + "|rate|" + ClientNetwork.of(visitor.sourceIp())),
                PAGE_VIEWS_PER_IP_PER_MINUTE, WINDOW)) {
            countRefusal(now);
            long windowEnd = (now.getEpochSecond() / WINDOW.toSeconds() + 1) * WINDOW.toSeconds();
            throw new TooManyRequestsException("Too many page views from this address; they are counted again"
                    + " from the next minute.", Duration.ofSeconds(windowEnd - now.getEpochSecond()));
        }
        String visitorHash = sha256(salt(day, now) + "|" + visitor.sourceIp() + "|" + visitor.userAgent());
        boolean newVisitor = store.firstSeen(day, visitorHash,
                Instant.ofEpochSecond(RetentionSchedule.VISITOR_MARKER.expiresAt(now)));
        counters.countPageView(day, newVisitor);
        if (visitor.optedOut()) {
            Log.info("page_view_counted_without_log", Map.of("signal", "gpc-or-dnt"));
            return;
        }
        AgentFamilies families = agents.parse(visitor.userAgent());
        store.log(new VisitLogEntry(now, visitor.sourceIp(), visitor.userAgent(), families.browser(), families.os(),
                        view.referrerHost(), view.path()),
                Instant.ofEpochSecond(RetentionSchedule.VISIT_LOG.expiresAt(now)));
    }

    /** One log line a minute at most per instance, with the count since the last: never the IP. */
    private void countRefusal(Instant now) {
        refused.incrementAndGet();
        Instant last = refusalsLoggedAt;
        if (!now.isBefore(last.plus(REFUSALS_LOGGED_EVERY))) {
            refusalsLoggedAt = now;
            Log.warn("page_views_refused", Map.of("count", refused.getAndSet(0)));
        }
    }

    private String salt(LocalDate day, Instant now) {
        return salts.computeIfAbsent(day, d -> store.salt(d).orElseGet(() ->
                store.saltOnce(d, Tokens.newToken(), Instant.ofEpochSecond(RetentionSchedule.DAILY_SALT.expiresAt(now)))));
    }

    private static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
