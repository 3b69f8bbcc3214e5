package shop.adminorders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import shop.core.admin.ActivityLog;
import shop.core.admin.AdminAction;
import shop.core.admin.AdminCaller;
import shop.core.errors.ForbiddenException;
import shop.core.errors.InvalidInputException;

/** The owner's activity view over an in-memory log: who is let in, which days, the page token, the names. */
class ActivityServiceTest {
    private static final AdminCaller OWNER = new AdminCaller("sub-owner", "olive-id", Set.of("owners"));
    private static final AdminCaller STAFF = new AdminCaller("sub-staff", "sam-id", Set.of("staff"));
    private static final Instant NOW = Instant.parse("2026-12-05T15:00:00Z");
    private static final long KEEP = NOW.plusSeconds(3600).getEpochSecond();

    private final Log log = new Log();
    private final Numbers numbers = new Numbers(Map.of("cs_1", "7KQ4-M2XD", "cs_2", "9PW3-ZT8R"));
    private final Numbers campaigns = new Numbers(Map.of("c-1", "Spring pearls", "c-2", "Winter gold"));
    private final ActivityService service = new ActivityService(log,
            username -> Optional.ofNullable(Map.of("sam-id", "sam@example.com", "olive-id", "olive@example.com").get(username)),
            numbers, campaigns, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void todayByDefaultNewestFirstEachLineNamedByTheSignInAddress() {
        log.lines.add(new AdminAction("ORDER#cs_1", NOW.minusSeconds(600), "sub-staff", "sam-id", "order.shipped",
                "{\"status\":\"PAID\"}", "{\"status\":\"SHIPPED\"}", KEEP));
        log.lines.add(new AdminAction("PRODUCT#RING-1", NOW.minusSeconds(60), "sub-owner", "olive-id",
                "product.price_changed", "{\"price\":1}", "{\"price\":2}", KEEP));
        log.lines.add(new AdminAction("STAFF#gone", NOW.minusSeconds(30), "sub-gone", "gone-id", "staff.disabled",
                null, null, KEEP));

        Map<String, Object> body = service.day(OWNER, Optional.empty(), Optional.empty(), Optional.empty());

        assertEquals("2026-12-05", body.get("day"));
        assertEquals(LocalDate.parse("2026-12-05"), log.asked);
        List<Map<String, Object>> lines = lines(body);
        assertEquals(List.of("staff.disabled", "product.price_changed", "order.shipped"),
                lines.stream().map(line -> line.get("action")).toList());
        assertEquals("gone-id", lines.get(0).get("by"), "an account that is gone keeps the id the token carried");
        assertEquals("olive@example.com", lines.get(1).get("by"));
        assertEquals(Map.of("kind", "product", "id", "RING-1"), lines.get(1).get("subject"));
        assertEquals("sam@example.com", lines.get(2).get("by"));
        assertEquals(Map.of("kind", "order", "id", "cs_1", "number", "7KQ4-M2XD"), lines.get(2).get("subject"));
        assertEquals("{\"status\":\"SHIPPED\"}", lines.get(2).get("after"));
        assertEquals(NOW.minusSeconds(600).toString(), lines.get(2).get("at"));
        assertNull(body.get("nextPage"));
    }

    @Test
    void eachOrderIsNamedByItsNumberTheNumbersOfAPageReadTogether() {
        log.lines.add(new AdminAction("ORDER#cs_1", NOW.minusSeconds(500), "sub-staff", "sam-id", "order.shipped",
                null, null, KEEP));
        log.lines.add(new AdminAction("ORDER#cs_2", NOW.minusSeconds(400), "sub-owner", "olive-id", "order.refunded",
                null, null, KEEP));
        log.lines.add(new AdminAction("ORDER#cs_1", NOW.minusSeconds(300), "sub-staff", "sam-id",
                "order.shipment_corrected", null, null, KEEP));
        log.lines.add(new AdminAction("ORDER#cs_gone", NOW.minusSeconds(200), "sub-owner", "olive-id", "order.refunded",
                null, null, KEEP));
        log.lines.add(new AdminAction("PRODUCT#cs_1", NOW.minusSeconds(100), "sub-owner", "olive-id",
                "product.created", null, null, KEEP));

        List<Map<String, Object>> lines = lines(service.day(OWNER, Optional.empty(), Optional.empty(), Optional.empty()));

        assertEquals(List.of(Set.of("cs_gone", "cs_1", "cs_2")), numbers.asked, "one read for the page, each order once");
        assertEquals(Map.of("kind", "product", "id", "cs_1"), lines.get(0).get("subject"), "only orders have numbers");
        assertEquals(Map.of("kind", "order", "id", "cs_gone"), lines.get(1).get("subject"),
                "an order no longer kept keeps its id");
        assertEquals(Map.of("kind", "order", "id", "cs_1", "number", "7KQ4-M2XD"), lines.get(2).get("subject"));
        assertEquals(Map.of("kind", "order", "id", "cs_2", "number", "9PW3-ZT8R"), lines.get(3).get("subject"));
        assertEquals(Map.of("kind", "order", "id", "cs_1", "number", "7KQ4-M2XD"), lines.get(4).get("subject"));
    }

    @Test
    void eachCampaignIsNamedByItsSubjectTheSubjectsOfAPageReadTogether() {
        log.lines.add(new AdminAction("CAMPAIGN#c-1", NOW.minusSeconds(400), "sub-owner", "olive-id", "campaign.created",
                null, "{\"subject\":\"Spring pearls\"}", KEEP));
        log.lines.add(new AdminAction("CAMPAIGN#c-2", NOW.minusSeconds(300), "sub-owner", "olive-id", "campaign.paused",
                null, null, KEEP));
        log.lines.add(new AdminAction("CAMPAIGN#c-1", NOW.minusSeconds(200), "sub-owner", "olive-id", "campaign.sent",
                null, null, KEEP));
        log.lines.add(new AdminAction("CAMPAIGN#c-gone", NOW.minusSeconds(100), "sub-owner", "olive-id",
                "campaign.cancelled", null, null, KEEP));

        List<Map<String, Object>> lines = lines(service.day(OWNER, Optional.empty(), Optional.empty(), Optional.empty()));

        assertEquals(List.of(Set.of("c-1", "c-2", "c-gone")), campaigns.asked, "one read for the page, each campaign once");
        assertEquals(List.of(), numbers.asked, "no order, no order read");
        assertEquals(Map.of("kind", "campaign", "id", "c-gone"), lines.get(0).get("subject"),
                "a campaign no longer kept keeps its id");
        assertEquals(Map.of("kind", "campaign", "id", "c-1", "name", "Spring pearls"), lines.get(1).get("subject"));
        assertEquals(Map.of("kind", "campaign", "id", "c-2", "name", "Winter gold"), lines.get(2).get("subject"));
        assertEquals(Map.of("kind", "campaign", "id", "c-1", "name", "Spring pearls"), lines.get(3).get("subject"));
    }

    @Test
    void aStaffAccountIsNamedByItsSignInAddress() {
        log.lines.add(new AdminAction("STAFF#sam-id", NOW.minusSeconds(300), "sub-owner", "olive-id", "staff.disabled",
                "{\"enabled\":true}", "{\"enabled\":false}", KEEP));
        log.lines.add(new AdminAction("STAFF#deleted-id", NOW.minusSeconds(200), "sub-owner", "olive-id",
                "staff.enabled", null, null, KEEP));
        log.lines.add(new AdminAction("STAFF#new@example.com", NOW.minusSeconds(100), "sub-owner", "olive-id",
                "staff.invite_requested", null, null, KEEP));

        List<Map<String, Object>> lines = lines(service.day(OWNER, Optional.empty(), Optional.empty(), Optional.empty()));

        assertEquals(Map.of("kind", "staff", "id", "new@example.com"), lines.get(0).get("subject"),
                "an invitation's request is under the address already");
        assertEquals(Map.of("kind", "staff", "id", "deleted-id"), lines.get(1).get("subject"), "an account deleted since");
        assertEquals(Map.of("kind", "staff", "id", "sam-id", "name", "sam@example.com"), lines.get(2).get("subject"));
    }

    @Test
    void aPageAboutNoOrderReadsNoNumbers() {
        log.lines.add(new AdminAction("STAFF#sub-sam", NOW.minusSeconds(100), "sub-owner", "olive-id", "staff.disabled",
                null, null, KEEP));

        assertEquals(1, lines(service.day(OWNER, Optional.empty(), Optional.empty(), Optional.empty())).size());
        assertEquals(List.of(), numbers.asked);
        assertEquals(List.of(), campaigns.asked);
    }

    @Test
    void staffAreRefusedBeforeAnythingIsRead() {
        assertThrows(ForbiddenException.class,
                () -> service.day(STAFF, Optional.of("2026-12-05"), Optional.empty(), Optional.empty()));
        assertNull(log.asked);
    }

    @Test
    void aDayIsADateOfTheLastSevenYearsUpToToday() {
        for (String day : List.of("05-12-2026", "2026-12-5", "2026-02-30", "2026-13-01", "today", "2026-12-06",
                "2100-01-01", "2019-12-01", "0000-01-01", "2026-12-05T00:00:00Z", " 2026-12-05")) {
            var refused = assertThrows(InvalidInputException.class,
                    () -> service.day(OWNER, Optional.of(day), Optional.empty(), Optional.empty()), day);
            assertEquals("day", refused.field(), day);
        }
        assertNull(log.asked, "nothing read for a refused day");
        assertEquals("2019-12-08", service.day(OWNER, Optional.of("2019-12-08"), Optional.empty(), Optional.empty())
                .get("day"), "seven years of 365 days back is still kept");
        assertEquals("2026-12-05", service.day(OWNER, Optional.of("2026-12-05"), Optional.empty(), Optional.empty())
                .get("day"));
    }

    @Test
    void aLimitIsAWholeNumberFromOneToAHundred() {
        for (String limit : List.of("0", "101", "-1", "1e2", "ten", "100000")) {
            var refused = assertThrows(InvalidInputException.class,
                    () -> service.day(OWNER, Optional.empty(), Optional.of(limit), Optional.empty()), limit);
            assertEquals("limit", refused.field());
        }
        service.day(OWNER, Optional.empty(), Optional.of("100"), Optional.empty());
        assertEquals(100, log.limit);
        service.day(OWNER, Optional.empty(), Optional.empty(), Optional.empty());
        assertEquals(ActivityService.DEFAULT_LIMIT, log.limit);
    }

    @Test
    void theNextPageTokenCarriesTheLogsPositionBackAndBelongsToItsDay() {
        for (int i = 0; i < 3; i++) {
            log.lines.add(new AdminAction("ORDER#cs_" + i, NOW.minusSeconds(100 - i), "sub-staff", "sam-id",
                    "order.shipped", null, null, KEEP));
        }

        Map<String, Object> first = service.day(OWNER, Optional.empty(), Optional.of("2"), Optional.empty());
        String token = (String) first.get("nextPage");
        assertTrue(token.matches("[A-Za-z0-9_-]+"), token);
        Map<String, Object> second = service.day(OWNER, Optional.of("2026-12-05"), Optional.of("2"), Optional.of(token));

        assertEquals(List.of("ORDER#cs_2", "ORDER#cs_1"), subjects(first));
        assertEquals(List.of("ORDER#cs_0"), subjects(second));
        assertEquals(Optional.of(Map.of("position", "1")), log.after, "the log gets back the position it handed out");
        assertNull(second.get("nextPage"));
        for (String bad : List.of("%3Cscript%3E", "eyJsaXN0IjoiQUNUSVZJVFkjMjAyNi0xMi0wNSJ9", "A".repeat(4000))) {
            var refused = assertThrows(InvalidInputException.class,
                    () -> service.day(OWNER, Optional.empty(), Optional.empty(), Optional.of(bad)), bad);
            assertEquals("page", refused.field());
        }
        var otherDay = assertThrows(InvalidInputException.class,
                () -> service.day(OWNER, Optional.of("2026-12-04"), Optional.empty(), Optional.of(token)));
        assertEquals("page", otherDay.field(), "a token of another day's list");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> lines(Map<String, Object> body) {
        return (List<Map<String, Object>>) body.get("lines");
    }

    @SuppressWarnings("unchecked")
    private static List<String> subjects(Map<String, Object> body) {
        return lines(body).stream().map(line -> (Map<String, String>) line.get("subject"))
                .map(subject -> subject.get("kind").toUpperCase() + "#" + subject.get("id")).toList();
    }

    /** The numbers of known orders (or the subjects of known campaigns); each read's ids kept. */
    private static final class Numbers implements OrderNumbers, CampaignSubjects {
        final Map<String, String> known;
        final List<Set<String>> asked = new ArrayList<>();

        Numbers(Map<String, String> known) {
            this.known = known;
        }

        @Override
        public Map<String, String> of(Collection<String> ids) {
            asked.add(Set.copyOf(ids));
            Map<String, String> found = new HashMap<>();
            ids.stream().filter(known::containsKey).forEach(id -> found.put(id, known.get(id)));
            return found;
        }
    }

    /** Lines newest first; a position is the index of the page's last line. */
    private static final class Log implements ActivityLog {
        final List<AdminAction> lines = new ArrayList<>();
        LocalDate asked;
        int limit;
        Optional<Map<String, String>> after = Optional.empty();

        @Override
        public Page onDay(LocalDate day, int limit, Optional<Map<String, String>> after) {
            this.asked = day;
            this.limit = limit;
            this.after = after;
            List<AdminAction> ofDay = lines.stream()
                    .filter(line -> LocalDate.ofInstant(line.at(), ZoneOffset.UTC).equals(day))
                    .sorted(Comparator.comparing(AdminAction::at).reversed()).toList();
            int from = after.map(key -> Integer.parseInt(key.get("position")) + 1).orElse(0);
            int to = Math.min(ofDay.size(), from + limit);
            return new Page(ofDay.subList(from, to),
                    to < ofDay.size() ? Optional.of(Map.of("position", String.valueOf(to - 1))) : Optional.empty());
        }
    }
}
