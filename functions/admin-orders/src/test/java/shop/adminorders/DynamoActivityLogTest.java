package shop.adminorders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.core.admin.ActivityLog;
import shop.core.admin.AdminAction;
import shop.core.dynamo.DynamoAuditTrail;
import shop.core.errors.InvalidInputException;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;

/**
 * The whole shop's trail of a day, as the owner's activity view reads it: one Query on the index
 * byDay of AdminAuditTable (moto), newest first, paged by the last line's key; lines of other days,
 * lines written before the trail recorded their day and lines past their expiry are not in it.
 */
@ExtendWith(LocalAwsExtension.class)
class DynamoActivityLogTest {

    @Test
    void aDaysLinesNewestFirstAcrossPagesWithoutOtherDaysOldLinesOrExpiredOnes(LocalAws aws) {
        String table = aws.physicalName("AdminAuditTable");
        var trail = new DynamoAuditTrail(aws.dynamo(), table, Clock.systemUTC());
        // A day of its own, so that the lines other tests write today are not in it.
        LocalDate day = LocalDate.of(2021, 1, 1).plusDays(ThreadLocalRandom.current().nextInt(1_000));
        Instant morning = day.atTime(9, 0).toInstant(ZoneOffset.UTC);
        long keep = Instant.now().plusSeconds(3600).getEpochSecond();
        String order = "ORDER#cs_test_" + UUID.randomUUID().toString().replace("-", "");
        String product = "PRODUCT#RING-" + UUID.randomUUID();

        trail.record(new AdminAction(order, morning, "sub-sam", "sam", "order.shipped", "{\"status\":\"PAID\"}",
                "{\"status\":\"SHIPPED\"}", keep));
        trail.record(new AdminAction(product, morning.plusSeconds(60), "sub-olive", "olive", "product.price_changed",
                "{\"price\":4500}", "{\"price\":4900}", keep));
        trail.record(new AdminAction(order, morning.plusSeconds(120), "sub-olive", "olive", "order.refunded", null,
                "{\"amount\":4500}", keep));
        // The day before, at its last nanosecond; and on the day, one line past its expiry.
        trail.record(new AdminAction("STAFF#sub-sam", morning.minusSeconds(9 * 3600).minusNanos(1), "sub-olive",
                "olive", "staff.disabled", null, null, keep));
        trail.record(new AdminAction("CAMPAIGN#c1", morning.plusSeconds(30), "sub-olive", "olive", "campaign.sent",
                null, null, Instant.now().minusSeconds(60).getEpochSecond()));
        // A line written before lines carried their day: in its record's trail, not in the day's.
        aws.dynamo().putItem(b -> b.tableName(table).item(Map.of("subject", s(order),
                "at", s(morning.plusSeconds(90) + "#" + UUID.randomUUID()), "actor", s("sub-sam"), "actorName", s("sam"),
                "action", s("order.restocked"), "expiresAt", n(keep))));

        List<String> actions = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        Optional<Map<String, String>> after = Optional.empty();
        do {
            ActivityLog.Page page = trail.onDay(day, 2, after);
            page.lines().forEach(line -> actions.add(line.action()));
            sizes.add(page.lines().size());
            after = page.next();
        } while (after.isPresent() && sizes.size() < 5);

        assertEquals(List.of("order.refunded", "product.price_changed", "order.shipped"), actions);
        assertEquals(2, sizes.get(0), "a page holds the limit");
        assertEquals(List.of("staff.disabled"),
                trail.onDay(day.minusDays(1), 50, Optional.empty()).lines().stream().map(AdminAction::action).toList());
        assertTrue(trail.of(order).stream().anyMatch(line -> line.action().equals("order.restocked")),
                "the old line is still in its order's trail");
        AdminAction shipped = trail.onDay(day, 50, Optional.empty()).lines().get(2);
        assertEquals(order, shipped.subject());
        assertEquals("sam", shipped.actorName());
        assertEquals(morning, shipped.at());
        assertEquals("{\"status\":\"SHIPPED\"}", shipped.after());
    }

    @Test
    void aPositionOfAnotherDayOrNotOfThisIndexIsRefused(LocalAws aws) {
        var trail = new DynamoAuditTrail(aws.dynamo(), aws.physicalName("AdminAuditTable"), Clock.systemUTC());
        LocalDate day = LocalDate.of(2022, 6, 1);
        String at = "2022-06-01T10:00:00.000000000Z#" + UUID.randomUUID();

        for (Map<String, String> key : List.of(
                Map.of("subject", "ORDER#cs_x", "at", at, DynamoAuditTrail.DAY, "2022-06-02"),
                Map.of("subject", "ORDER#cs_x", "at", at),
                Map.of("subject", "ORDER#cs_x", "at", "2022-06-01T10:00:00Z", DynamoAuditTrail.DAY, "2022-06-01"),
                Map.of("subject", "cs_x", "at", at, DynamoAuditTrail.DAY, "2022-06-01"),
                Map.of("subject", "ORDER#cs_x", "at", at, DynamoAuditTrail.DAY, "2022-06-01", "pk", "ORDER#cs_x"))) {
            var refused = assertThrows(InvalidInputException.class, () -> trail.onDay(day, 10, Optional.of(key)),
                    key.toString());
            assertEquals("page", refused.field());
        }
    }
}
