package shop.visits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import shop.core.errors.InvalidInputException;
import shop.core.errors.TooManyRequestsException;
import shop.core.ratelimit.RateLimiter;

class VisitServiceTest {
    private static final LocalDate DAY = LocalDate.parse("2026-11-25");
    private static final String FIREFOX =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0";

    private final InMemoryVisits fakes = new InMemoryVisits();
    /** Counts per key, as DynamoRateLimiter does per key and window (one window in these tests). */
    private final Map<String, Integer> hits = new HashMap<>();
    private final RateLimiter limiter = (key, limit, window) -> hits.merge(key, 1, Integer::sum) <= limit;

    private VisitService serviceAt(String instant) {
        return new VisitService(fakes, fakes, new UapUserAgentParser(), limiter,
                Clock.fixed(Instant.parse(instant), ZoneOffset.UTC));
    }

    @Test
    void oneIpPastItsLimitIsRefusedWithNothingWrittenWhileOthersAreCounted() {
        var service = serviceAt("2026-11-25T10:00:20Z");
        for (int i = 0; i < VisitService.PAGE_VIEWS_PER_IP_PER_MINUTE; i++) {
            service.record(PageView.of("/", Optional.empty()), Visitor.of("203.0.113.5", FIREFOX, null, null));
        }
        var refused = assertThrows(TooManyRequestsException.class, () ->
                service.record(PageView.of("/", Optional.empty()), Visitor.of("203.0.113.5", FIREFOX, null, null)));
        assertEquals(40, refused.retryAfterSeconds(), "the next minute's window");
        assertEquals(VisitService.PAGE_VIEWS_PER_IP_PER_MINUTE, fakes.read(DAY, DAY).get(0).pageViews());
        assertEquals(VisitService.PAGE_VIEWS_PER_IP_PER_MINUTE, fakes.log.size());
        assertTrue(hits.keySet().stream().noneMatch(key -> key.contains("203.0.113.5")), "the IP is hashed: " + hits);

        service.record(PageView.of("/", Optional.empty()), Visitor.of("198.51.100.9", FIREFOX, null, null));
        assertEquals(VisitService.PAGE_VIEWS_PER_IP_PER_MINUTE + 1, fakes.read(DAY, DAY).get(0).pageViews());
    }

    /** An IPv6 client holds its whole /64: a new address in it for every beacon is still one client. */
    @Test
    void anIpv6ClientChangingAddressInsideItsSlash64IsStillOneClient() {
        var service = serviceAt("2026-11-25T10:00:20Z");
        for (int i = 0; i < VisitService.PAGE_VIEWS_PER_IP_PER_MINUTE; i++) {
            service.record(PageView.of("/", Optional.empty()),
                    Visitor.of("2001:db8:5:6:" + Integer.toHexString(i) + "::1", FIREFOX, null, null));
        }
        assertThrows(TooManyRequestsException.class, () -> service.record(PageView.of("/", Optional.empty()),
                Visitor.of("2001:db8:5:6:ffff:ffff:ffff:ffff", FIREFOX, null, null)));
        assertEquals(VisitService.PAGE_VIEWS_PER_IP_PER_MINUTE, fakes.read(DAY, DAY).get(0).pageViews());

        service.record(PageView.of("/", Optional.empty()), Visitor.of("2001:db8:5:7::1", FIREFOX, null, null));
        assertEquals(VisitService.PAGE_VIEWS_PER_IP_PER_MINUTE + 1, fakes.read(DAY, DAY).get(0).pageViews());
    }

    @Test
    void theSameVisitorTwiceIsOneVisitorAndTwoPageViews() {
        var service = serviceAt("2026-11-25T10:00:00Z");
        service.record(PageView.of("/", Optional.empty()), Visitor.of("203.0.113.5", FIREFOX, null, null));
        service.record(PageView.of("/rings", Optional.empty()), Visitor.of("203.0.113.5", FIREFOX, null, null));
        service.record(PageView.of("/", Optional.empty()), Visitor.of("198.51.100.9", FIREFOX, null, null));

        var day = fakes.read(DAY, DAY).get(0);
        assertEquals(2, day.visitors());
        assertEquals(3, day.pageViews());
    }

    @Test
    void theLogKeepsBrowserAndOsFamilyTheReferrersHostAndThePathWithoutItsQuery() {
        serviceAt("2026-11-25T10:00:00Z").record(
                PageView.of("/newsletter/confirm?token=secret", Optional.of("https://www.example.org/search?q=rings")),
                Visitor.of("203.0.113.5", FIREFOX, null, null));

        var entry = fakes.log.get(0);
        assertEquals("Firefox", entry.browserFamily());
        assertEquals("Windows", entry.osFamily());
        assertEquals(Optional.of("www.example.org"), entry.referrerHost());
        assertEquals("/newsletter/confirm", entry.path());
        assertEquals("203.0.113.5", entry.sourceIp());
    }

    @Test
    void globalPrivacyControlOrDoNotTrackCountsTheViewButWritesNoLog() {
        var service = serviceAt("2026-11-25T10:00:00Z");
        service.record(PageView.of("/", Optional.empty()), Visitor.of("203.0.113.5", FIREFOX, "1", null));
        service.record(PageView.of("/", Optional.empty()), Visitor.of("203.0.113.6", FIREFOX, null, "1"));

        assertTrue(fakes.log.isEmpty());
        assertEquals(2, fakes.read(DAY, DAY).get(0).pageViews());
        assertEquals(2, fakes.read(DAY, DAY).get(0).visitors());
    }

    @Test
    void eachDayHasItsOwnSaltSoVisitorsAreNotLinkedAcrossDays() {
        serviceAt("2026-11-25T23:59:00Z").record(PageView.of("/", Optional.empty()), Visitor.of("203.0.113.5", FIREFOX, null, null));
        serviceAt("2026-11-26T00:01:00Z").record(PageView.of("/", Optional.empty()), Visitor.of("203.0.113.5", FIREFOX, null, null));

        assertNotEquals(fakes.salts.get(DAY), fakes.salts.get(DAY.plusDays(1)));
        assertEquals(1, fakes.read(DAY.plusDays(1), DAY.plusDays(1)).get(0).visitors());
        assertTrue(fakes.seen.stream().noneMatch(marker -> marker.contains("203.0.113.5")));
    }

    @Test
    void badBeaconsAreRejected() {
        assertThrows(InvalidInputException.class, () -> PageView.of("rings", Optional.empty()));
        assertThrows(InvalidInputException.class, () -> PageView.of("/a b", Optional.empty()));
        assertThrows(InvalidInputException.class, () -> PageView.of("/" + "x".repeat(600), Optional.empty()));
        assertThrows(InvalidInputException.class, () -> PageView.of("/", Optional.of("javascript:alert(1)")));
        assertThrows(InvalidInputException.class, () -> PageView.of("/", Optional.of("not a url")));
        assertThrows(InvalidInputException.class, () -> PageView.of(null, Optional.empty()));
    }
}
