package shop.visits;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import shop.core.logging.Log;
import shop.core.retention.RetentionSchedule;
import shop.core.security.Tokens;

/**
 * Counts page views and daily unique visitors without cookies, as Plausible and Fathom do: a
 * visitor is a hash of IP, user agent and a random salt that changes every day and is then
 * thrown away, so yesterday's visitors cannot be linked to today's, nor to anyone.
 */
public final class VisitService {
    private final VisitStore store;
    private final DailyCounters counters;
    private final UserAgentParser agents;
    private final Clock clock;
    /** One salt per day per instance: saves a read per beacon. */
    private final Map<LocalDate, String> salts = new ConcurrentHashMap<>();

    public VisitService(VisitStore store, DailyCounters counters, UserAgentParser agents, Clock clock) {
        this.store = store;
        this.counters = counters;
        this.agents = agents;
        this.clock = clock;
    }

    public void record(PageView view, Visitor visitor) {
        Instant now = clock.instant();
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
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
