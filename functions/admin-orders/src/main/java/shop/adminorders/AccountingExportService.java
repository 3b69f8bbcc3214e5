package shop.adminorders;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import shop.core.admin.AdminAction;
import shop.core.admin.AdminCaller;
import shop.core.admin.AuditTrail;
import shop.core.errors.InvalidInputException;
import shop.core.json.Json;
import shop.core.retention.RetentionSchedule;

/** The accounting export: the CSV of the orders created between two dates, as a short-lived download link, audited. */
public final class AccountingExportService {
    /** The longest accounting export: a year (a leap year's 366 days). */
    static final int MAX_EXPORT_DAYS = 366;
    /** How long the export's download link works. */
    static final Duration EXPORT_LINK = Duration.ofMinutes(5);

    private final OrderBook book;
    private final AuditTrail trail;
    private final AccountingExports exports;
    private final Clock clock;

    public AccountingExportService(OrderBook book, AuditTrail trail, AccountingExports exports, Clock clock) {
        this.book = book;
        this.trail = trail;
        this.exports = exports;
        this.clock = clock;
    }

    /** The accounting CSV of the orders created from {@code from} to {@code to} (dates, inclusive, UTC), as a 5-minute link. */
    public Map<String, Object> export(AdminCaller caller, String from, String to) {
        LocalDate first = date("from", from);
        LocalDate last = date("to", to);
        if (last.isBefore(first)) {
            throw new InvalidInputException("to", "\"to\" is on or after \"from\".");
        }
        if (ChronoUnit.DAYS.between(first, last) + 1 > MAX_EXPORT_DAYS) {
            throw new InvalidInputException("to", "An export covers at most " + MAX_EXPORT_DAYS + " days.");
        }
        // No order is created in the future. Bounded, the range's end stays a four-digit year in the index's sort key:
        // 9999-12-31 ends at "+10000-01-01...", which sorts before its start, and DynamoDB refuses such a Query.
        if (last.isAfter(LocalDate.now(clock.withZone(ZoneOffset.UTC)).plusYears(1))) {
            throw new InvalidInputException("to", "\"to\" is at most a year from today: no order is created later.");
        }
        AccountingCsv csv = new AccountingCsv();
        book.createdBetween(first.atStartOfDay(ZoneOffset.UTC).toInstant(),
                last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(), csv::add);
        Instant now = clock.instant();
        String key = "accounting/orders-" + first + "-to-" + last + "-" + UUID.randomUUID() + ".csv";
        exports.put(key, csv.text().getBytes(StandardCharsets.UTF_8));
        trail.record(AdminAction.by(caller, "EXPORT#accounting", "orders.exported", now, null,
                Json.write(Map.of("from", first.toString(), "to", last.toString(), "orders", csv.rows())),
                RetentionSchedule.ADMIN_AUDIT.expiresAt(now)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", exports.downloadUrl(key, EXPORT_LINK).toString());
        body.put("expiresAt", now.plus(EXPORT_LINK).toString());
        body.put("orders", csv.rows());
        return body;
    }

    private static LocalDate date(String field, String value) {
        if (value == null || !value.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
            throw new InvalidInputException(field, "\"" + field + "\" is a date like 2026-01-31.");
        }
        try {
            return LocalDate.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidInputException(field, "\"" + field + "\" is not a date of the calendar.");
        }
    }
}
