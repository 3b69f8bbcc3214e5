package shop.adminorders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import shop.commerce.orders.OrderStatus;
import shop.core.admin.AdminCaller;
import shop.core.errors.InvalidInputException;

class AccountingExportServiceTest extends OrderServicesFixture {
    private final AccountingExportService service = new AccountingExportService(book, trail, exports, clock);

    @Test
    void theExportIsACsvOfTheRangeWithoutPersonalDataBehindAFiveMinuteLink() {
        Map<String, Object> inRange = Fakes.order("cs_test_exp1", OrderStatus.PAID, Instant.parse("2026-03-31T23:59:59Z"));
        inRange.put("items", List.of(Map.of("sku", "RING-ARIA", "name", "=HYPERLINK(\"http://evil\")", "quantity", 1L)));
        inRange.put("refunds", List.of(Map.of("stripeRefundId", "re_1", "amount", 500L, "at", "2026-04-02T00:00:00Z"),
                Map.of("stripeRefundId", "re_2", "amount", 700L, "at", "2026-04-03T00:00:00Z", "failure", "failed",
                        "failureReason", "expired_or_canceled_card", "failedAt", "2026-04-09T00:00:00Z")));
        inRange.put("amountRefunded", 500L); // Stripe failed re_2 since: not counted
        book.add(inRange);
        book.add(Fakes.order("cs_test_exp2", OrderStatus.PAID, Instant.parse("2026-04-01T00:00:00Z")));
        book.add(Fakes.order("cs_test_exp3", OrderStatus.PAID, Instant.parse("2026-02-28T23:59:59Z")));

        Map<String, Object> answer = service.export(new AdminCaller("o", "owner", Set.of("owners")), "2026-03-01", "2026-03-31");

        assertEquals(1, answer.get("orders"));
        assertEquals(List.of(Duration.ofMinutes(5)), exports.links);
        String csv = new String(exports.files.values().iterator().next(), StandardCharsets.UTF_8);
        String[] lines = csv.split("\r\n");
        assertEquals(2, lines.length, csv);
        assertTrue(lines[0].startsWith("\"order_number\",\"created_at\""), lines[0]);
        assertTrue(lines[1].contains(",\"1 x =HYPERLINK(\"\"http://evil\"\") (RING-ARIA)\","), lines[1]);
        assertTrue(lines[1].contains("\"185.00\""), lines[1]);
        assertTrue(lines[1].contains("\"5.00\""), lines[1]);
        assertTrue(lines[1].contains("\"2026-04-02T00:00:00Z 5.00 re_1; 2026-04-03T00:00:00Z 7.00 re_2 failed\""), lines[1]);
        for (String absent : List.of("ada@example.com", "Harbor", "Bank Street", "Lovelace")) {
            assertFalse(csv.contains(absent), absent);
        }
        assertEquals("orders.exported", trail.actions.get(0).action());
    }

    /**
     * Amounts are Stripe's: a 25,000 ISK ring is stored as 2500000 (Stripe's two decimals that are always 00), and
     * the accountant reads 25000, not 2500000 (ISO 4217 counts no decimals for ISK). A KWD order in thousandths.
     */
    @Test
    void theExportWritesAmountsAsPeopleWriteThemInStripesCurrencyUnits() {
        Map<String, Object> krona = Fakes.order("cs_test_isk", OrderStatus.PAID, Instant.parse("2026-03-10T10:00:00Z"));
        krona.put("currency", "isk");
        krona.put("amountSubtotal", 2500000L);
        krona.put("amountShipping", 150000L);
        krona.put("amountTotal", 2650000L);
        krona.put("refunds", List.of(Map.of("stripeRefundId", "re_isk", "amount", 50000L, "at", "2026-03-11T00:00:00Z")));
        krona.put("amountRefunded", 50000L);
        book.add(krona);

        service.export(new AdminCaller("o", "owner", Set.of("owners")), "2026-03-01", "2026-03-31");

        String line = new String(exports.files.values().iterator().next(), StandardCharsets.UTF_8).split("\r\n")[1];
        assertTrue(line.contains(",\"ISK\",\"25000\",\"1500\",\"0\",\"0\",\"26500\",\"500\",\"2026-03-11T00:00:00Z 500 re_isk\","),
                line);
        assertEquals("12.340", AccountingCsv.amount(12340L, "kwd"));
        assertEquals("5000", AccountingCsv.amount(5000L, "MGA"), "zero-decimal at Stripe, two in ISO");
        assertEquals("500", AccountingCsv.amount(500L, "JPY"));
        assertEquals("25000.50", AccountingCsv.amount(2500050L, "ISK"), "an amount Stripe would refuse is not rounded");
    }

    @ParameterizedTest
    @ValueSource(strings = {"=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"})
    void aCellASpreadsheetWouldRunIsDefused(String value) {
        assertEquals("\"'" + value + "\"", AccountingCsv.cell(value));
    }

    @Test
    void anExportRangeIsTwoCalendarDatesAtMostAYearApart() {
        AdminCaller owner = new AdminCaller("o", "owner", Set.of("owners"));
        for (String[] range : new String[][] {{"2026-02-30", "2026-03-01"}, {"2026-03-02", "2026-03-01"},
                {"2025-01-01", "2026-01-02"}, {"26-01-01", "2026-01-02"}, {"2026-01-01T00:00", "2026-01-02"}}) {
            assertThrows(InvalidInputException.class, () -> service.export(owner, range[0], range[1]), range[0]);
        }
        assertTrue(exports.files.isEmpty());
        assertNull(service.export(owner, "2024-01-01", "2024-12-31").get("missing"), "a leap year fits");
    }

    /**
     * The last day there is, 9999-12-31, ends at "+10000-01-01..." in the index's sort key, which sorts before "9999-...":
     * the month's Query then had its BETWEEN bounds the wrong way round, which DynamoDB refuses (a server error for an
     * owner's typo; the local stand-in answers it with nothing). No order is created in the future: an export ending
     * more than a year after today is a 400, with nothing exported or audited; the page's default, this year, is fine.
     */
    @Test
    void anExportEndingMoreThanAYearAheadIsABadRequest() {
        AdminCaller owner = new AdminCaller("o", "owner", Set.of("owners"));
        String today = NOW.toString().substring(0, 10);
        String aYearAhead = java.time.LocalDate.parse(today).plusYears(1).toString();

        String beyond = java.time.LocalDate.parse(aYearAhead).plusDays(1).toString();
        for (String[] range : new String[][] {{"9999-12-31", "9999-12-31"}, {"9999-01-01", "9999-12-31"},
                {beyond, beyond}}) {
            assertThrows(InvalidInputException.class, () -> service.export(owner, range[0], range[1]), range[1]);
        }
        assertTrue(exports.files.isEmpty() && trail.actions.isEmpty());

        assertEquals(0, service.export(owner, today, aYearAhead).get("orders"), "up to a year ahead is fine");
    }
}
