package shop.adminorders.waiting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import shop.adminorders.waiting.WaitingOrders.Dispute;
import shop.adminorders.waiting.WaitingOrders.Listing;
import shop.adminorders.waiting.WaitingOrders.Order;
import shop.commerce.orders.OrderStatus;
import shop.commerce.testing.InMemoryDayClaims;
import shop.core.email.EmailAddress;
import shop.core.mail.BackOfficeLinks;
import shop.core.mail.Email;
import shop.core.mail.Mailer;

/** The morning mail on in-memory lists, claims and mailer: what it says, in which order, and when it is not sent. */
class WaitingServiceTest {
    private static final Instant NOW = Instant.parse("2026-12-06T07:00:00Z");
    private static final String PAGE = "https://admin.example.com/";
    private static final EmailAddress OWNER = new EmailAddress("owner@example.com");

    private final Lists lists = new Lists();
    private final InMemoryDayClaims claims = new InMemoryDayClaims();
    private final Outbox outbox = new Outbox();
    private final WaitingService service = service(NOW);

    private WaitingService service(Instant now) {
        return new WaitingService(lists, claims, outbox, new WaitingMail(BackOfficeLinks.at(PAGE)), OWNER,
                Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void nothingWaitingMailsNothingAndClaimsNothing() {
        WaitingService.Result result = service.run();

        assertEquals(WaitingService.Outcome.NOTHING_WAITS, result.outcome());
        assertEquals(List.of(), outbox.sent);
        assertEquals(Map.of(), claims.days, "no day claimed: a later run today may still mail");
    }

    @Test
    void theMailListsTheDisputesDueSoonFirstAndMarkedThenTheOrdersToShipOldestFirstAndThoseNeedingAttention() {
        lists.disputes.addAll(List.of(
                disputed("cs_due_tomorrow", "7KQ4-M2XD", NOW.plus(Duration.ofHours(30)), "fraudulent", 18500),
                disputed("cs_due_in_3_days", "8ABC-1234", NOW.plus(Duration.ofDays(3)), "product_not_received", 4000),
                disputed("cs_due_next_week", "9XYZ-0001", NOW.plus(Duration.ofDays(7)), "duplicate", 2500),
                disputed("cs_no_deadline", "9XYZ-0002", null, "general", 1200)));
        lists.of(OrderStatus.PAID).addAll(List.of(order("cs_paid_4_days", "AAAA-0001", Duration.ofDays(4).plusHours(2)),
                order("cs_paid_1_day", "AAAA-0002", Duration.ofHours(25)),
                order("cs_paid_now", "AAAA-0003", Duration.ofMinutes(20))));
        lists.of(OrderStatus.NEEDS_ATTENTION).add(order("cs_attention", "BBBB-0001", Duration.ofDays(2)));

        WaitingService.Result result = service.run();

        assertEquals(new WaitingService.Result(WaitingService.Outcome.MAILED, 4, 2, 3, 1), result);
        assertEquals(1, outbox.sent.size());
        Email mail = outbox.sent.get(0);
        assertEquals(OWNER, mail.to());
        assertEquals("Waiting in the shop: 4 open dispute(s) (2 due within 3 days), 3 to ship, 1 needing attention",
                mail.subject());
        assertEquals("""
                What waits in the shop on Sunday 6 December 2026.

                OPEN DISPUTES: 4, 2 with evidence due within 3 days
                Submit evidence in the Stripe Dashboard before the deadline, or the dispute is lost.
                  DUE SOON: Order 7KQ4-M2XD: $185.00, fraudulent, evidence due 7 December 2026, 13:00 UTC (in 1 day)
                    https://admin.example.com/#order=cs_due_tomorrow
                  DUE SOON: Order 8ABC-1234: $40.00, product_not_received, evidence due 9 December 2026, 07:00 UTC (in 3 days)
                    https://admin.example.com/#order=cs_due_in_3_days
                  Order 9XYZ-0001: $25.00, duplicate, evidence due 13 December 2026, 07:00 UTC (in 7 days)
                    https://admin.example.com/#order=cs_due_next_week
                  Order 9XYZ-0002: $12.00, general, no evidence deadline (the bank takes none)
                    https://admin.example.com/#order=cs_no_deadline

                ORDERS TO SHIP: 3, the longest waiting first
                  Order AAAA-0001, ordered 4 days ago (2 December 2026)
                    https://admin.example.com/#order=cs_paid_4_days
                  Order AAAA-0002, ordered 1 day ago (5 December 2026)
                    https://admin.example.com/#order=cs_paid_1_day
                  Order AAAA-0003, ordered less than an hour ago (6 December 2026)
                    https://admin.example.com/#order=cs_paid_now

                ORDERS THAT NEED YOUR ATTENTION: 1 (accept or refund each)
                  Order BBBB-0001, ordered 2 days ago (4 December 2026)
                    https://admin.example.com/#order=cs_attention
                """, mail.text());
        assertTrue(mail.html().contains("<strong style=\"color:#b00020\">DUE SOON:</strong> Order 7KQ4-M2XD"), mail.html());
        assertTrue(mail.html().contains("<a href=\"https://admin.example.com/#order=cs_paid_4_days\">"), mail.html());
        assertEquals(2, mail.html().split("DUE SOON", -1).length - 1, "two marked in the HTML too");
    }

    @Test
    void eachListNamesItsFirstFewAndCountsTheRestAndSaysWhenItsIndexHoldsMoreThanWasRead() {
        for (int i = 0; i < 42; i++) {
            lists.of(OrderStatus.PAID).add(order("cs_paid_" + i, "PAID-" + (1000 + i), Duration.ofDays(60 - i)));
        }
        for (int i = 0; i < 7; i++) {
            lists.of(OrderStatus.NEEDS_ATTENTION).add(order("cs_att_" + i, "ATTN-" + (1000 + i), Duration.ofDays(9 - i)));
        }
        lists.attentionMore = true;

        service.run();

        String text = outbox.sent.get(0).text();
        assertEquals("Waiting in the shop: 42 to ship, 7+ needing attention", outbox.sent.get(0).subject());
        assertTrue(text.contains("ORDERS TO SHIP: 42, the longest waiting first"), text);
        assertTrue(text.contains("Order PAID-1000, ordered 60 days ago"), text);
        assertTrue(text.contains("Order PAID-1004,"), "the fifth named: " + text);
        assertFalse(text.contains("PAID-1005"), "the sixth only counted: " + text);
        assertTrue(text.contains("  and 37 more: the back office's To ship list, oldest first.\n"), text);
        assertTrue(text.contains("ORDERS THAT NEED YOUR ATTENTION: 7+"), text);
        assertTrue(text.contains("  and 2 more, and others beyond those (the mail reads 7 at most):"
                + " the back office's Needs attention list.\n"), text);
        assertFalse(text.contains("DISPUTES"), "no list of what does not wait: " + text);
    }

    @Test
    void aDeadlineAlreadyPassedIsMarkedAsSuch() {
        lists.disputes.add(disputed("cs_late", "LATE-0001", NOW.minus(Duration.ofHours(5)), "fraudulent", 18500));

        service.run();

        Email mail = outbox.sent.get(0);
        assertTrue(mail.text().contains("  DEADLINE PASSED: Order LATE-0001: $185.00, fraudulent, evidence was due"
                + " 6 December 2026, 02:00 UTC\n"), mail.text());
        assertEquals("Waiting in the shop: 1 open dispute(s) (1 due within 3 days)", mail.subject());
    }

    @Test
    void noCustomersNameEmailOrAddressIsInTheMailOnlyNumbersAndLinks() {
        lists.of(OrderStatus.PAID).add(order("cs_paid", "AAAA-0001", Duration.ofDays(1)));
        WaitingService linkless = new WaitingService(lists, claims, outbox, new WaitingMail(BackOfficeLinks.none()), OWNER,
                Clock.fixed(NOW, ZoneOffset.UTC));

        linkless.run();

        Email mail = outbox.sent.get(0);
        assertEquals("""
                What waits in the shop on Sunday 6 December 2026.

                ORDERS TO SHIP: 1, the longest waiting first
                  Order AAAA-0001, ordered 1 day ago (5 December 2026)
                """, mail.text(), "without the admin page's address, no link (and the ports carry no name to show)");
    }

    @Test
    void aSecondRunTheSameDayMailsNothingAndTheNextDayMailsAgain() {
        lists.of(OrderStatus.PAID).add(order("cs_paid", "AAAA-0001", Duration.ofDays(1)));

        WaitingService.Result first = service.run();
        WaitingService.Result again = service(NOW.plus(Duration.ofHours(16))).run();
        WaitingService.Result tomorrow = service(NOW.plus(Duration.ofDays(1))).run();

        assertEquals(WaitingService.Outcome.MAILED, first.outcome());
        assertEquals(WaitingService.Outcome.MAILED_BEFORE, again.outcome());
        assertEquals(WaitingService.Outcome.MAILED, tomorrow.outcome());
        assertEquals(2, outbox.sent.size());
        assertTrue(outbox.sent.get(1).text().contains("ordered 2 days ago"), outbox.sent.get(1).text());
        assertEquals("SENT", claims.days.get(LocalDate.parse("2026-12-06")).status());
    }

    @Test
    void aSendSesRefusedReleasesTheDaySoTheRetryMails() {
        lists.of(OrderStatus.PAID).add(order("cs_paid", "AAAA-0001", Duration.ofDays(1)));
        outbox.failures = 1;

        assertThrows(IllegalStateException.class, service::run);
        assertEquals(Map.of(), claims.days, "released");

        assertEquals(WaitingService.Outcome.MAILED, service.run().outcome());
        assertEquals(1, outbox.sent.size());
    }

    /**
     * A run that claimed the day and stopped before sending (its function timed out): a run within the stale limit
     * fails (Lambda's retry comes later), one after it takes the day over and mails.
     */
    @Test
    void aDayClaimedByARunThatStoppedIsTakenOverOnceStale() {
        lists.of(OrderStatus.PAID).add(order("cs_paid", "AAAA-0001", Duration.ofDays(1)));
        claims.days.put(LocalDate.parse("2026-12-06"), new InMemoryDayClaims.Claim("CLAIMED", "stopped-run", NOW));

        assertThrows(IllegalStateException.class, () -> service(NOW.plusSeconds(60)).run());
        assertEquals(List.of(), outbox.sent);

        assertEquals(WaitingService.Outcome.MAILED, service(NOW.plus(WaitingService.CLAIM_STALE_AFTER).plusSeconds(1)).run()
                .outcome());
        assertEquals(1, outbox.sent.size());
    }

    @Test
    void eachListIsReadOnceWithItsBound() {
        service.run();

        assertEquals(List.of("disputes " + WaitingService.READ_AT_MOST, "PAID " + WaitingService.READ_AT_MOST,
                "NEEDS_ATTENTION " + WaitingService.READ_AT_MOST), lists.reads);
    }

    private static Order order(String id, String number, Duration waited) {
        return new Order(id, number, NOW.minus(waited), null);
    }

    private static Order disputed(String id, String number, Instant dueBy, String reason, long amount) {
        return new Order(id, number, NOW.minus(Duration.ofDays(20)), new Dispute(reason, amount, "usd", dueBy));
    }

    /** The indexes as plain lists, in the index's order; each read at most {@code atMost}. */
    private static final class Lists implements WaitingOrders {
        final List<Order> disputes = new ArrayList<>();
        final Map<OrderStatus, List<Order>> byStatus = new EnumMap<>(OrderStatus.class);
        final List<String> reads = new ArrayList<>();
        boolean attentionMore;

        List<Order> of(OrderStatus status) {
            return byStatus.computeIfAbsent(status, s -> new ArrayList<>());
        }

        @Override
        public Listing oldest(OrderStatus status, int atMost) {
            reads.add(status + " " + atMost);
            List<Order> all = of(status);
            return new Listing(all.subList(0, Math.min(atMost, all.size())),
                    all.size() > atMost || (status == OrderStatus.NEEDS_ATTENTION && attentionMore));
        }

        @Override
        public Listing openDisputes(int atMost) {
            reads.add("disputes " + atMost);
            return new Listing(disputes.subList(0, Math.min(atMost, disputes.size())), disputes.size() > atMost);
        }
    }

    private static final class Outbox implements Mailer {
        final List<Email> sent = new ArrayList<>();
        int failures;

        @Override
        public String send(Email email) {
            if (failures > 0) {
                failures--;
                throw new IllegalStateException("SES refused");
            }
            sent.add(email);
            return "ses-" + sent.size();
        }
    }
}
