package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleExpressionTest {
    private static final Instant NOW = Instant.parse("2026-11-30T07:14:30Z");

    @Test
    void aRateFiresThatLongAfterNow() {
        assertEquals(Instant.parse("2026-11-30T07:29:30Z"), ScheduleExpression.parse("rate(15 minutes)").next(NOW));
        assertEquals(Instant.parse("2026-11-30T08:14:30Z"), ScheduleExpression.parse("rate(1 hour)").next(NOW));
        assertEquals(Instant.parse("2026-12-02T07:14:30Z"), ScheduleExpression.parse("rate(2 days)").next(NOW));
    }

    @Test
    void aDailyCronFiresAtItsNextMinuteInUtc() {
        var daily = ScheduleExpression.parse("cron(0 7 * * ? *)");
        assertEquals(Instant.parse("2026-12-01T07:00:00Z"), daily.next(NOW), "07:00 has passed today");
        assertEquals(Instant.parse("2026-11-30T07:00:00Z"), daily.next(Instant.parse("2026-11-30T06:59:59Z")));
        assertEquals(Instant.parse("2026-12-01T07:00:00Z"), daily.next(Instant.parse("2026-11-30T07:00:00Z")),
                "never twice in the minute it fired");
    }

    @Test
    void minuteAndHourFieldsTakeListsRangesAndSteps() {
        assertEquals(Instant.parse("2026-11-30T07:30:00Z"), ScheduleExpression.parse("cron(0/30 * * * ? *)").next(NOW));
        assertEquals(Instant.parse("2026-11-30T07:20:00Z"), ScheduleExpression.parse("cron(5,20,40 * * * ? *)").next(NOW));
        assertEquals(Instant.parse("2026-11-30T09:00:00Z"), ScheduleExpression.parse("cron(0 9-17 * * ? *)").next(NOW));
        assertEquals(Instant.parse("2026-11-30T08:00:00Z"), ScheduleExpression.parse("cron(0 */2 * * ? *)").next(NOW));
    }

    @Test
    void whatTheLocalRunCannotFollowIsRefusedSayingWhy() {
        var weekly = assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse("cron(0 7 ? * MON *)"));
        assertTrue(weekly.getMessage().contains("daily crons only"), weekly.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse("cron(60 7 * * ? *)"));
        assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse("rate(0 minutes)"));
        assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse("every day"));
    }
}
