package shop.core.dynamo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import shop.core.mail.SendClaim;
import shop.core.retention.RetentionRule;
import shop.core.retention.RetentionSchedule;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The day claims of the two daily mails, each in the table template.yaml gives it, on the local stand-in. */
@ExtendWith(LocalAwsExtension.class)
class DynamoDayClaimsTest {

    static Stream<Arguments> dailyMails() {
        return Stream.of(
                Arguments.of("OrdersTable", "MAIL#ORDERS_WAITING#", RetentionSchedule.ORDERS_WAITING_MAIL_CLAIM),
                Arguments.of("PrivacyRequestsTable", "MAIL#PRIVACY_DIGEST#", RetentionSchedule.PRIVACY_DIGEST_CLAIM));
    }

    /** A day is claimed once; sent, it stays sent; released, it can be claimed at once; each item keeps its rule's time. */
    @ParameterizedTest
    @MethodSource("dailyMails")
    void aDayIsClaimedOnceMarkedSentAndKeptAsItsRuleSays(String logicalTable, String prefix, RetentionRule rule,
                                                          LocalAws aws) {
        String table = aws.physicalName(logicalTable);
        var claims = new DynamoDayClaims(aws.dynamo(), table, prefix, rule);
        LocalDate day = LocalDate.of(3000 + ThreadLocalRandom.current().nextInt(5000), 12, 6);
        LocalDate released = day.plusDays(1);
        Instant now = Instant.now();

        assertEquals(SendClaim.CLAIMED, claims.claim(day, "first", now, now.minusSeconds(90)));
        assertEquals(SendClaim.HELD_ELSEWHERE, claims.claim(day, "second", now, now.minusSeconds(90)));
        claims.markSent(day, "ses-1", now);
        assertEquals(SendClaim.ALREADY_SENT, claims.claim(day, "third", now.plusSeconds(3600), now.plusSeconds(3000)));
        assertEquals(SendClaim.CLAIMED, claims.claim(released, "first", now, now.minusSeconds(90)));
        claims.release(released, "second");
        assertEquals(SendClaim.HELD_ELSEWHERE, claims.claim(released, "second", now, now.minusSeconds(90)),
                "only its holder releases a claim");
        claims.release(released, "first");
        assertEquals(SendClaim.CLAIMED, claims.claim(released, "again", now, now.minusSeconds(90)));
        assertEquals(SendClaim.CLAIMED, claims.claim(released, "took-over", now.plusSeconds(91), now.plusSeconds(1)),
                "a stale claim is taken over");

        Map<String, AttributeValue> item = aws.dynamo().getItem(b -> b.tableName(table)
                .key(DynamoItems.key(prefix + day))).item();
        assertEquals("SENT", item.get("status").s());
        assertEquals("ses-1", item.get("messageId").s());
        assertFalse(item.containsKey("claimToken"));
        assertEquals(now.plus(rule.keptFor().orElseThrow()).getEpochSecond(), Long.parseLong(item.get("expiresAt").n()), 5);
        assertEquals(logicalTable, rule.store(), "the table its retention rule names");
        assertFalse(item.containsKey("orderId"), "in no order's list of mails");
        assertEquals("took-over", aws.dynamo().getItem(b -> b.tableName(table).key(DynamoItems.key(prefix + released)))
                .item().get("claimToken").s());
    }

    /** Priming reads, updates and deletes a day no run claims, and leaves nothing. */
    @ParameterizedTest
    @MethodSource("dailyMails")
    void primingWritesNothing(String logicalTable, String prefix, RetentionRule rule, LocalAws aws) {
        String table = aws.physicalName(logicalTable);
        List<String> operations = new CopyOnWriteArrayList<>();

        new DynamoDayClaims(aws.dynamo(operations::add), table, prefix, rule).prime();

        assertEquals(List.of("GetItem", "UpdateItem", "DeleteItem"), operations);
        assertTrue(aws.dynamo().getItem(b -> b.tableName(table).key(DynamoItems.key(prefix + "priming-never-claimed")))
                .item().isEmpty());
    }

    @Test
    void aPrefixEndsWithItsSeparator() {
        assertThrows(IllegalArgumentException.class,
                () -> new DynamoDayClaims(null, "table", "MAIL#PRIVACY_DIGEST", RetentionSchedule.PRIVACY_DIGEST_CLAIM));
    }
}
