package shop.adminorders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.orders.DynamoOrderStore;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.Shipment;
import shop.commerce.testing.Samples;
import shop.core.errors.InvalidInputException;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The adapters against the local stand-ins, on the tables and indexes template.yaml declares. Each
 * run writes its orders into a year of its own far in the future, so the newest-first lists start
 * with them whatever earlier runs left in the table.
 */
@ExtendWith(LocalAwsExtension.class)
class DynamoOrderBookTest {
    private static final List<String> operations = new CopyOnWriteArrayList<>();
    private static LocalAws aws;
    private static DynamoOrderStore store;
    private static DynamoOrderBook book;
    private static int year;

    @BeforeAll
    static void connect(LocalAws localAws) {
        aws = localAws;
        String table = aws.physicalName("OrdersTable");
        store = new DynamoOrderStore(aws.dynamo(), table, Clock.systemUTC(), Samples.HASHER);
        DynamoDbClient recording = aws.dynamo(operations::add);
        book = new DynamoOrderBook(recording, table, Clock.systemUTC());
        year = 2100 + ThreadLocalRandom.current().nextInt(7000);
    }

    @Test
    void aStatusListPagesNewestFirstThroughMoreOrdersThanOnePageWithQueriesOnly() {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            mine.add(0, create(OrderStatus.PAID, Instant.parse(year + "-03-01T10:00:00Z").plusSeconds(i)));
        }
        String shipped = create(OrderStatus.PAID, Instant.parse(year + "-03-01T11:00:00Z"));
        assertTrue(book.markShipped(shipped, new Shipment("Royal Mail", "RM1", "https://t.example.com/1", Instant.now(), "sam")));
        operations.clear();

        List<String> seen = new ArrayList<>();
        Optional<Map<String, String>> after = Optional.empty();
        int pages = 0;
        do {
            OrderBook.Page page = book.byStatus(OrderStatus.PAID, 5, after);
            page.orders().forEach(o -> seen.add(o.id()));
            after = page.next();
            pages++;
        } while (after.isPresent() && seen.size() < 12);

        assertEquals(mine, seen.subList(0, 12));
        assertTrue(pages >= 3, "more orders than one page");
        assertFalse(seen.contains(shipped), "a shipped order leaves the PAID list");
        assertEquals(Set.of("Query"), Set.copyOf(operations));
        OrderSummary first = book.byStatus(OrderStatus.SHIPPED, 100, Optional.empty()).orders().stream()
                .filter(o -> o.id().equals(shipped)).findFirst().orElseThrow();
        assertEquals(18500, first.total());
        assertEquals("Ada Lovelace", first.customerName());
    }

    @Test
    void allOrdersWalkBackMonthByMonthAcrossEmptyMonths() {
        // Months no other test of this class writes to: November and September, December and October empty.
        String november = create(OrderStatus.PAID, Instant.parse(year + "-11-10T10:00:00Z"));
        String novemberLater = create(OrderStatus.REFUNDED, Instant.parse(year + "-11-20T10:00:00Z"));
        String september = create(OrderStatus.PENDING_PAYMENT, Instant.parse(year + "-09-01T10:00:00Z"));

        List<String> seen = new ArrayList<>();
        Optional<Map<String, String>> after = Optional.empty();
        do {
            OrderBook.Page page = book.newest(2, after, YearMonth.of(year, 12), YearMonth.of(year, 9));
            page.orders().forEach(o -> seen.add(o.id()));
            after = page.next();
        } while (after.isPresent());

        assertEquals(List.of(novemberLater, november, september), seen);
    }

    @Test
    void aForgedPositionIsTheCallersMistake() {
        String valid = year + "-03-01T10:00:00.000000000Z#cs_test_x";
        for (Map<String, String> forged : List.of(
                Map.of("pk", "ORDER#cs_test_x", "status", "SHIPPED", "listedAt", valid),
                Map.of("pk", "ORDER#cs_test_x", "status", "PAID"),
                Map.of("pk", "MAIL#cs_test_x", "status", "PAID", "listedAt", valid),
                Map.of("pk", "ORDER#cs_test_y", "status", "PAID", "listedAt", valid),
                Map.of("pk", "ORDER#cs_test_x", "status", "PAID", "listedAt", "' OR 1=1"),
                Map.of("pk", "ORDER#cs_test_x", "status", "PAID", "listedAt", valid, "extra", "x"))) {
            assertThrows(InvalidInputException.class, () -> book.byStatus(OrderStatus.PAID, 5, Optional.of(forged)),
                    forged.toString());
        }
        assertThrows(InvalidInputException.class, () -> book.newest(5, Optional.of(Map.of("createdMonth", "2026-13")),
                YearMonth.of(2026, 11), YearMonth.of(2020, 1)));
        assertThrows(InvalidInputException.class, () -> book.newest(5, Optional.of(Map.of("createdMonth", "2027-01")),
                YearMonth.of(2026, 11), YearMonth.of(2020, 1)));
        // A well-formed position of an order that does not exist is just a place to start from.
        assertEquals(List.of(), book.byStatus(OrderStatus.PAID, 5, Optional.of(
                Map.of("pk", "ORDER#cs_test_x", "status", "PAID", "listedAt", "1970-01-01T00:00:00.000000000Z#cs_test_x"))).orders());
    }

    @Test
    void shippingIsConditionalOnPaidAndRecordsTheShipment() {
        String id = create(OrderStatus.PAID, Instant.parse(year + "-04-01T10:00:00Z"));
        Shipment parcel = new Shipment("Royal Mail", "RM9", "https://t.example.com/9", Instant.parse("2026-11-25T10:00:00Z"), "sam");

        assertTrue(book.markShipped(id, parcel));
        assertFalse(book.markShipped(id, parcel), "only once");
        assertFalse(book.markShipped("cs_test_never_ordered", parcel));

        Map<String, Object> order = book.find(id).orElseThrow();
        assertEquals("SHIPPED", order.get("status"));
        assertEquals("2026-11-25T10:00:00Z", order.get("fulfilledAt"));
        assertEquals("https://t.example.com/9", ((Map<?, ?>) order.get("shipment")).get("trackingUrl"));
        assertEquals(OrderStatus.SHIPPED, store.find(id).orElseThrow().status());
        assertFalse(aws.dynamo().scan(b -> b.tableName(aws.physicalName("OrdersTable"))).items().stream()
                .anyMatch(item -> item.get("pk").s().equals("ORDER#cs_test_never_ordered")), "no order made up");
    }

    @Test
    void theExportReadsTheRangeMonthByMonthAndTheLinkDownloadsIt() throws Exception {
        String inside = create(OrderStatus.PAID, Instant.parse(year + "-07-31T23:59:59Z"));
        // Half a second into the range: with Instant.toString() its sort key would fall before the range.
        String firstSecond = create(OrderStatus.PAID, Instant.parse(year + "-07-01T00:00:00.500Z"));
        String before = create(OrderStatus.PAID, Instant.parse(year + "-06-30T23:59:59Z"));
        String after = create(OrderStatus.PAID, Instant.parse(year + "-08-01T00:00:00Z"));
        operations.clear();

        List<Object> numbers = new ArrayList<>();
        book.createdBetween(Instant.parse(year + "-07-01T00:00:00Z"), Instant.parse(year + "-08-01T00:00:00Z"),
                order -> numbers.add(order.get("orderNumber")));

        assertEquals(List.of(store.find(firstSecond).orElseThrow().number(), store.find(inside).orElseThrow().number()),
                numbers);
        assertFalse(numbers.contains(store.find(before).orElseThrow().number()) || numbers.contains(store.find(after).orElseThrow().number()));
        assertEquals(Set.of("Query"), Set.copyOf(operations));

        String bucket = aws.physicalName("AccountingExportsBucket");
        var exports = new S3AccountingExports(aws.s3(), S3AccountingExports.presigner(aws.s3()), bucket);
        String key = "accounting/test-" + UUID.randomUUID() + ".csv";
        exports.put(key, "\"order_number\"\r\n\"7KQ4-M2XD\"\r\n".getBytes(StandardCharsets.UTF_8));
        URI link = exports.downloadUrl(key, Duration.ofMinutes(5));
        assertTrue(link.getQuery().contains("X-Amz-Expires=300"), link.toString());
        HttpResponse<String> download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(link).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, download.statusCode());
        assertEquals("\"order_number\"\r\n\"7KQ4-M2XD\"\r\n", download.body());
    }

    @Test
    void theBackfillGivesOrdersFromBeforeTheIndexesWhatNewOrdersCarryAndIsSafeToRunTwice() {
        String id = create(OrderStatus.PAID, Instant.parse(year + "-05-05T10:00:00Z"));
        String table = aws.physicalName("OrdersTable");
        var key = shop.core.dynamo.DynamoItems.key("ORDER#" + id);
        var written = aws.dynamo().getItem(b -> b.tableName(table).key(key)).item();
        aws.dynamo().updateItem(b -> b.tableName(table).key(key).updateExpression("REMOVE listedAt, createdMonth, emailHash"));

        assertTrue(DynamoOrderIndexBackfill.run(aws.dynamo(), table, Samples.HASHER) >= 1);
        DynamoOrderIndexBackfill.run(aws.dynamo(), table, Samples.HASHER);

        var backfilled = aws.dynamo().getItem(b -> b.tableName(table).key(key)).item();
        for (String attribute : List.of("listedAt", "createdMonth", "emailHash")) {
            assertEquals(written.get(attribute), backfilled.get(attribute), attribute);
        }
    }

    private static String create(OrderStatus status, Instant createdAt) {
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        var sample = Samples.order(id, status, "ada@example.com", "Ada Lovelace");
        var order = new shop.commerce.orders.Order(sample.id(), sample.number(), sample.status(), sample.reservationId(),
                sample.customerName(), sample.customerEmail(), sample.shipping(), sample.billing(), sample.items(),
                sample.totals(), 0, sample.paymentIntentId(), false, createdAt, sample.paidAt(), Set.of());
        assertTrue(store.create(order, Instant.now().atZone(ZoneOffset.UTC).plusDays(1).toEpochSecond()));
        return id;
    }
}
