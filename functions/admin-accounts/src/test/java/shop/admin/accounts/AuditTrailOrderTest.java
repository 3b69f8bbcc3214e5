package shop.admin.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.core.admin.AdminAction;
import shop.core.dynamo.DynamoAuditTrail;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;

/**
 * A staff change's request and its outcome often fall in one second; the trail reads them in the
 * order they happened even when the first falls on the whole second (which {@code Instant.toString}
 * writes without a fraction, and which would then sort after the second's later lines).
 */
@ExtendWith(LocalAwsExtension.class)
class AuditTrailOrderTest {
    private static final Instant WHOLE_SECOND = Instant.parse("2026-12-05T10:00:00Z");

    @Test
    void linesOfOneSecondReadInTheOrderTheyHappenedFromTheWholeSecondOn(LocalAws aws) {
        var trail = new DynamoAuditTrail(aws.dynamo(), aws.physicalName("AdminAuditTable"), Clock.systemUTC());
        String subject = "STAFF#" + UUID.randomUUID();
        long keep = Instant.now().plusSeconds(3600).getEpochSecond();

        trail.record(new AdminAction(subject, WHOLE_SECOND, "owner", "owner@example.com", "staff.disable_requested",
                null, null, keep));
        trail.record(new AdminAction(subject, WHOLE_SECOND.plusMillis(250), "owner", "owner@example.com",
                "staff.disabled", null, null, keep));

        assertEquals(List.of("staff.disable_requested", "staff.disabled"),
                trail.of(subject).stream().map(AdminAction::action).toList());
    }

    /** A line written before the trail's time was fixed width still reads in its place. */
    @Test
    void aLineWrittenInTheEarlierFormatReadsInItsPlace(LocalAws aws) {
        var trail = new DynamoAuditTrail(aws.dynamo(), aws.physicalName("AdminAuditTable"), Clock.systemUTC());
        String subject = "STAFF#" + UUID.randomUUID();
        long keep = Instant.now().plusSeconds(3600).getEpochSecond();
        aws.dynamo().putItem(b -> b.tableName(aws.physicalName("AdminAuditTable")).item(Map.of(
                "subject", s(subject), "at", s(WHOLE_SECOND + "#" + UUID.randomUUID()), "actor", s("owner"),
                "actorName", s("owner@example.com"), "action", s("staff.invite_requested"), "expiresAt", n(keep))));

        trail.record(new AdminAction(subject, WHOLE_SECOND.plusMillis(500), "owner", "owner@example.com",
                "staff.invited", null, null, keep));

        assertEquals(List.of("staff.invite_requested", "staff.invited"),
                trail.of(subject).stream().map(AdminAction::action).toList());
    }
}
