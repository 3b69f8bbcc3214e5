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
import shop.commerce.orders.Dispute;
import shop.commerce.orders.DynamoOrderAccounts;
import shop.commerce.orders.DynamoOrderStore;
import shop.commerce.orders.OrderNumber;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.Shipment;
import shop.commerce.stats.DynamoOrderCounter;
import shop.commerce.testing.Samples;
import shop.core.admin.AdminAction;
import shop.core.dynamo.DynamoAuditTrail;
import shop.core.email.EmailAddress;
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
        book = new DynamoOrderBook(recording, table, aws.physicalName("ProductsTable"),
                new DynamoOrderCounter(recording, aws.physicalName("StatsTable")),
                new DynamoAuditTrail(recording, aws.physicalName("AdminAuditTable"), Clock.systemUTC()), Samples.HASHER,
                Clock.systemUTC());
        year = 2100 + ThreadLocalRandom.current().nextInt(7000);
    }

    @Test
    void aStatusListPagesNewestFirstThroughMoreOrdersThanOnePageWithQueriesOnly() {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            mine.add(0, create(OrderStatus.PAID, Instant.parse(year + "-03-01T10:00:00Z").plusSeconds(i)));
        }
        String shipped = create(OrderStatus.PAID, Instant.parse(year + "-03-01T11:00:00Z"));
        assertTrue(book.markShipped(shipped, new Shipment("Royal Mail", "RM1", "https://t.example.com/1", Instant.now(), "sam"),
                line(shipped)));
        operations.clear();

        List<String> seen = new ArrayList<>();
        Optional<Map<String, String>> after = Optional.empty();
        int pages = 0;
        do {
            OrderBook.Page page = book.byStatus(OrderStatus.PAID, false, 5, after);
            page.orders().forEach(o -> seen.add(o.id()));
            after = page.next();
            pages++;
        } while (after.isPresent() && seen.size() < 12);

        assertEquals(mine, seen.subList(0, 12));
        assertTrue(pages >= 3, "more orders than one page");
        assertFalse(seen.contains(shipped), "a shipped order leaves the PAID list");
        assertEquals(Set.of("Query"), Set.copyOf(operations));
        OrderSummary first = book.byStatus(OrderStatus.SHIPPED, false, 100, Optional.empty()).orders().stream()
                .filter(o -> o.id().equals(shipped)).findFirst().orElseThrow();
        assertEquals(18500, first.total());
        assertEquals("Ada Lovelace", first.customerName());
    }

    /**
     * "To ship" oldest first (the index read forwards, from a position just before this run's orders, since earlier runs
     * left older ones), then the slips' read of a page's orders: one consistent BatchGetItem, answering what a slip
     * shows and what says the order is still to ship, never the email, billing address or amounts.
     */
    @Test
    void toShipOldestFirstAndItsPageOfOrdersReadInOneBatchWithoutEmailOrAmounts() {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mine.add(create(OrderStatus.PAID, Instant.parse(year + "-05-01T10:00:00Z").plusSeconds(i)));
        }
        String shipped = create(OrderStatus.PAID, Instant.parse(year + "-05-01T09:59:59Z"));
        assertTrue(book.markShipped(shipped, new Shipment("Royal Mail", "RM1", "https://t.example.com/1", Instant.now(), "sam"),
                line(shipped)));
        String before = "cs_test_before_this_run";
        Optional<Map<String, String>> start = Optional.of(Map.of("pk", "ORDER#" + before, "status", "PAID",
                shop.commerce.orders.OrderIndexes.LISTED_AT,
                shop.commerce.orders.OrderIndexes.listedAt(Instant.parse(year + "-05-01T09:00:00Z"), before)));
        operations.clear();

        OrderBook.Page first = book.byStatus(OrderStatus.PAID, true, 2, start);
        OrderBook.Page second = book.byStatus(OrderStatus.PAID, true, 1, first.next());

        assertEquals(mine.subList(0, 2), first.orders().stream().map(OrderSummary::id).toList());
        assertEquals(mine.subList(2, 3), second.orders().stream().map(OrderSummary::id).toList());
        assertEquals(Set.of("Query"), Set.copyOf(operations));

        operations.clear();
        List<String> asked = new ArrayList<>(mine);
        asked.add(shipped);
        asked.add("cs_test_never_ordered_here");
        List<Map<String, Object>> read = book.toPack(asked);

        assertEquals(List.of("BatchGetItem"), operations, "one read for the page, never one per order");
        assertEquals(asked.subList(0, 4).stream().map(id -> "ORDER#" + id).toList(), read.stream().map(o -> o.get("pk")).toList(),
                "in the order asked, the unknown left out");
        assertEquals("SHIPPED", read.get(3).get("status"));
        assertEquals("PAID", read.get(0).get("status"));
        assertEquals("12 Harbor Road", ((Map<?, ?>) read.get(0).get("shipping")).get("line1"));
        assertFalse(((List<?>) read.get(0).get("items")).isEmpty());
        for (String absent : List.of("customerEmail", "billing", "amountTotal", "currency", "emailHash")) {
            assertFalse(read.get(0).containsKey(absent), absent + " read for a slip: " + read.get(0).keySet());
        }
        assertEquals(List.of(), book.toPack(List.of()));
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

    /**
     * Disputes recorded as the webhook records them: the open ones page soonest deadline first (one
     * without a deadline after every dated one), each with its dispute, through Queries only; a
     * closed one is not listed.
     */
    @Test
    void theOpenDisputesPageSoonestDeadlineFirstWithQueriesOnly() {
        var accounts = new DynamoOrderAccounts(aws.dynamo(), aws.physicalName("OrdersTable"), Clock.systemUTC());
        Instant opened = Instant.parse("2026-11-20T10:00:00Z");
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            mine.add(create(OrderStatus.PAID, Instant.parse(year + "-02-01T10:00:00Z").plusSeconds(i)));
        }
        // Recorded in another order than their deadlines: the sixth has none, so it comes last.
        for (int i = 6; i >= 0; i--) {
            Instant due = i == 6 ? null : Instant.parse(year + "-02-10T23:59:59Z").minus(Duration.ofDays(6 - i));
            assertTrue(accounts.recordDispute(accounts.find(mine.get(i)).orElseThrow(), Dispute.of("du_" + i + mine.get(i),
                    "fraudulent", "needs_response", 18500, "usd", due, opened, opened), opened).made());
        }
        String closed = create(OrderStatus.SHIPPED, Instant.parse(year + "-02-01T11:00:00Z"));
        accounts.recordDispute(accounts.find(closed).orElseThrow(), Dispute.of("du_closed" + closed, "fraudulent",
                "needs_response", 18500, "usd", Instant.parse(year + "-02-01T00:00:00Z"), opened, opened), opened);
        accounts.recordDispute(accounts.find(closed).orElseThrow(), Dispute.of("du_closed" + closed, "fraudulent",
                "lost", 18500, "usd", null, opened, opened.plusSeconds(60)), opened.plusSeconds(60));
        operations.clear();

        List<OrderSummary> seen = new ArrayList<>();
        Optional<Map<String, String>> after = Optional.empty();
        int pages = 0;
        do {
            OrderBook.Page page = book.openDisputes(3, after);
            seen.addAll(page.orders());
            after = page.next();
            pages++;
        } while (after.isPresent());

        List<String> ids = seen.stream().map(OrderSummary::id).filter(id -> mine.contains(id) || id.equals(closed)).toList();
        assertEquals(mine, ids);
        assertTrue(pages >= 3, "more disputes than one page");
        assertEquals(Set.of("Query"), Set.copyOf(operations));
        OrderSummary first = seen.stream().filter(o -> o.id().equals(mine.get(0))).findFirst().orElseThrow();
        assertEquals(new OrderSummary.Dispute("needs_response", "fraudulent", 18500, "usd",
                Instant.parse(year + "-02-04T23:59:59Z").toString()), first.dispute());
        assertEquals("PAID", first.status());
        assertEquals("Ada Lovelace", first.customerName());
        assertEquals(18500, first.total());
        assertEquals(store.find(mine.get(0)).orElseThrow().number(), first.number());
        assertEquals(null, seen.stream().filter(o -> o.id().equals(mine.get(6))).findFirst().orElseThrow()
                .dispute().evidenceDueBy());
    }

    @Test
    void aForgedDisputesPositionIsTheCallersMistake() {
        String due = year + "-03-01T10:00:00.000000000Z#cs_test_x";
        for (Map<String, String> forged : List.of(
                Map.of("pk", "ORDER#cs_test_x", "disputeDueBy", year + "-03-01T10:00:00.000000000Z#cs_test_y"),
                Map.of("pk", "ORDER#cs_test_x"),
                Map.of("pk", "MAIL#cs_test_x", "disputeDueBy", due),
                Map.of("pk", "ORDER#cs_test_x", "disputeDueBy", "' OR 1=1"),
                Map.of("pk", "ORDER#cs_test_x", "disputeDueBy", "LATER#cs_test_x"),
                Map.of("pk", "ORDER#cs_test_x", "disputeDueBy", due, "disputeOpen", "OPEN"))) {
            assertThrows(InvalidInputException.class, () -> book.openDisputes(5, Optional.of(forged)), forged.toString());
        }
        // After the last there can be: nothing.
        assertEquals(List.of(), book.openDisputes(5, Optional.of(Map.of("pk", "ORDER#cs_zzz",
                "disputeDueBy", "NONE#cs_zzz"))).orders());
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
            assertThrows(InvalidInputException.class, () -> book.byStatus(OrderStatus.PAID, false, 5, Optional.of(forged)),
                    forged.toString());
        }
        assertThrows(InvalidInputException.class, () -> book.newest(5, Optional.of(Map.of("createdMonth", "2026-13")),
                YearMonth.of(2026, 11), YearMonth.of(2020, 1)));
        assertThrows(InvalidInputException.class, () -> book.newest(5, Optional.of(Map.of("createdMonth", "2027-01")),
                YearMonth.of(2026, 11), YearMonth.of(2020, 1)));
        // A well-formed position of an order that does not exist is just a place to start from.
        assertEquals(List.of(), book.byStatus(OrderStatus.PAID, false, 5, Optional.of(
                Map.of("pk", "ORDER#cs_test_x", "status", "PAID", "listedAt", "1970-01-01T00:00:00.000000000Z#cs_test_x"))).orders());
    }

    @Test
    void shippingIsConditionalOnPaidAndRecordsTheShipment() {
        String id = create(OrderStatus.PAID, Instant.parse(year + "-04-01T10:00:00Z"));
        Shipment parcel = new Shipment("Royal Mail", "RM9", "https://t.example.com/9", Instant.parse("2026-11-25T10:00:00Z"), "sam");

        assertTrue(book.markShipped(id, parcel, line(id)));
        assertFalse(book.markShipped(id, parcel, line(id)), "only once");
        assertFalse(book.markShipped("cs_test_never_ordered", parcel, line("cs_test_never_ordered")));

        Map<String, Object> order = book.find(id).orElseThrow();
        assertEquals("SHIPPED", order.get("status"));
        assertEquals("2026-11-25T10:00:00Z", order.get("fulfilledAt"));
        assertEquals("https://t.example.com/9", ((Map<?, ?>) order.get("shipment")).get("trackingUrl"));
        assertEquals(OrderStatus.SHIPPED, store.find(id).orElseThrow().status());
        assertFalse(aws.dynamo().scan(b -> b.tableName(aws.physicalName("OrdersTable"))).items().stream()
                .anyMatch(item -> item.get("pk").s().equals("ORDER#cs_test_never_ordered")), "no order made up");
    }

    /**
     * A correction is one transaction of the shipment's new values and its trail line, conditional on
     * SHIPPED with the shipment read (parcel and count): a stale read, an order not shipped or unknown
     * writes neither.
     */
    @Test
    void aCorrectionIsConditionalOnTheShipmentReadAndWritesItsLineWithItOrNothing() {
        String id = create(OrderStatus.PAID, Instant.parse(year + "-04-02T10:00:00Z"));
        Instant shippedAt = Instant.parse("2026-11-25T10:00:00Z");
        Shipment typo = new Shipment("Royal Mail", "RM12345678GB", "https://t.example.com/RM12345678GB", shippedAt, "sam");
        Shipment right = typo.correctedTo(new Shipment("Royal Mail", "RM123456789GB", "https://t.example.com/RM123456789GB",
                shippedAt, "olive"));
        Instant correctedAt = Instant.parse("2026-11-26T08:30:00Z");
        assertTrue(book.markShipped(id, typo, line(id)));
        DynamoAuditTrail trail = new DynamoAuditTrail(aws.dynamo(), aws.physicalName("AdminAuditTable"), Clock.systemUTC());

        // A page that read another count, or another parcel: refused whole.
        assertFalse(book.correctShipment(id, typo.correctedTo(typo), right.correctedTo(right), correctedAt, "olive",
                correction(id)));
        assertFalse(book.correctShipment(id, right, right.correctedTo(typo), correctedAt, "olive", correction(id)));
        assertEquals(typo, DynamoOrderStore.shipment(item(id)).orElseThrow());
        assertEquals(0, trail.of("ORDER#" + id).stream().filter(a -> a.action().equals("order.shipment_corrected")).count());

        assertTrue(book.correctShipment(id, typo, right, correctedAt, "olive", correction(id)));

        Map<String, Object> order = book.find(id).orElseThrow();
        Map<?, ?> shipment = (Map<?, ?>) order.get("shipment");
        assertEquals("RM123456789GB", shipment.get("trackingNumber"));
        assertEquals("https://t.example.com/RM123456789GB", shipment.get("trackingUrl"));
        assertEquals(1L, shipment.get("corrections"));
        assertEquals(correctedAt.toString(), shipment.get("correctedAt"));
        assertEquals("olive", shipment.get("correctedBy"));
        assertEquals("sam", shipment.get("by"), "who recorded the shipment stays");
        assertEquals(shippedAt.toString(), shipment.get("shippedAt"));
        assertEquals("2026-11-25T10:00:00Z", order.get("fulfilledAt"), "the parcel left when it left");
        assertEquals("SHIPPED", order.get("status"));
        assertEquals(right, DynamoOrderStore.shipment(item(id)).orElseThrow(), "what the notification function reads");
        assertEquals(1, trail.of("ORDER#" + id).stream().filter(a -> a.action().equals("order.shipment_corrected")).count());

        // The same (now stale) read again: the double press of a page that skipped the service's check.
        assertFalse(book.correctShipment(id, typo, right, correctedAt, "olive", correction(id)));
        assertEquals(1, trail.of("ORDER#" + id).stream().filter(a -> a.action().equals("order.shipment_corrected")).count());
        assertTrue(book.correctShipment(id, right, right.correctedTo(typo), correctedAt, "olive", correction(id)));
        assertEquals(2, DynamoOrderStore.shipment(item(id)).orElseThrow().corrections());

        String paid = create(OrderStatus.PAID, Instant.parse(year + "-04-03T10:00:00Z"));
        assertFalse(book.correctShipment(paid, typo, right, correctedAt, "olive", correction(paid)));
        assertFalse(book.find(paid).orElseThrow().containsKey("shipment"));
        assertFalse(book.correctShipment("cs_test_never_corrected", typo, right, correctedAt, "olive",
                correction("cs_test_never_corrected")));
        assertTrue(book.find("cs_test_never_corrected").isEmpty(), "no order made up");
        assertTrue(trail.of("ORDER#" + paid).isEmpty());
    }

    /**
     * An address change is one transaction of the order's new shipping address, its country and count, and its trail
     * line, conditional on PAID, unshipped and unerased with every part of the address read and the count read: a
     * change meanwhile, a shipped or erased order, or an unknown one writes neither.
     */
    @Test
    void anAddressChangeIsConditionalOnTheAddressReadAndWritesItsLineWithItOrNothing() {
        String id = create(OrderStatus.PAID, Instant.parse(year + "-04-04T10:00:00Z"));
        Map<String, String> asOrdered = Map.of("name", "Ada Lovelace", "line1", "12 Harbor Road", "postalCode", "04101",
                "city", "Portland", "state", "ME", "country", "US");
        Map<String, String> paris = Map.of("name", "Ada King", "line1", "8 Rue de Rivoli", "line2", "Apt. 3",
                "postalCode", "75004", "city", "Paris", "country", "FR");
        Instant at = Instant.parse("2026-11-26T08:30:00Z");
        DynamoAuditTrail trail = new DynamoAuditTrail(aws.dynamo(), aws.physicalName("AdminAuditTable"), Clock.systemUTC());

        // A page that read another address (one part differs, one part more, or none at all) or another count: refused whole.
        Map<String, String> otherStreet = new java.util.HashMap<>(asOrdered);
        otherStreet.put("line1", "14 Harbor Road");
        Map<String, String> withoutState = new java.util.HashMap<>(asOrdered);
        withoutState.remove("state");
        for (Optional<Map<String, String>> read : List.of(Optional.of(otherStreet), Optional.of(withoutState),
                Optional.<Map<String, String>>empty())) {
            assertFalse(book.changeShippingAddress(id, read, paris, 1, at, "sam", addressLine(id)), read.toString());
        }
        assertFalse(book.changeShippingAddress(id, Optional.of(asOrdered), paris, 2, at, "sam", addressLine(id)));
        assertEquals("12 Harbor Road", ((Map<?, ?>) book.find(id).orElseThrow().get("shipping")).get("line1"));
        assertEquals(0, addressLines(trail, id));

        assertTrue(book.changeShippingAddress(id, Optional.of(asOrdered), paris, 1, at, "sam", addressLine(id)));

        Map<String, Object> order = book.find(id).orElseThrow();
        assertEquals(paris, order.get("shipping"));
        assertEquals("FR", order.get("country"));
        assertEquals(1L, order.get("shippingChanges"));
        assertEquals(at.toString(), order.get("shippingChangedAt"));
        assertEquals("sam", order.get("shippingChangedBy"));
        assertEquals("PAID", order.get("status"));
        assertEquals(1, addressLines(trail, id));
        var stored = store.find(id).orElseThrow().shipping();
        assertEquals(List.of("Ada King", "8 Rue de Rivoli", "Apt. 3", "75004 Paris", "FR"), stored.lines(),
                "what the mails and the notification function read");

        // The same (now stale) read again: a double press that skipped the service's check.
        assertFalse(book.changeShippingAddress(id, Optional.of(asOrdered), paris, 1, at, "sam", addressLine(id)));
        assertEquals(1, addressLines(trail, id));
        assertTrue(book.changeShippingAddress(id, Optional.of(paris), asOrdered, 2, at, "olive", addressLine(id)));
        assertEquals(2L, book.find(id).orElseThrow().get("shippingChanges"));
        assertEquals("US", book.find(id).orElseThrow().get("country"));

        // Shipped, or erased while kept to ship: refused, nothing written.
        String shipped = create(OrderStatus.PAID, Instant.parse(year + "-04-05T10:00:00Z"));
        assertTrue(book.markShipped(shipped, new Shipment("Royal Mail", "RM1", "https://t.example.com/1", at, "sam"),
                line(shipped)));
        assertFalse(book.changeShippingAddress(shipped, Optional.of(asOrdered), paris, 1, at, "sam", addressLine(shipped)));
        String erased = create(OrderStatus.PAID, Instant.parse(year + "-04-06T10:00:00Z"));
        aws.dynamo().updateItem(b -> b.tableName(aws.physicalName("OrdersTable")).key(shop.core.dynamo.DynamoItems.key(
                "ORDER#" + erased)).updateExpression("SET erasedAt = :at, shippingKeptUntilDone = :at REMOVE customerEmail")
                .expressionAttributeValues(Map.of(":at", shop.core.dynamo.DynamoItems.s(at.toString()))));
        assertFalse(book.changeShippingAddress(erased, Optional.of(asOrdered), paris, 1, at, "sam", addressLine(erased)));
        assertEquals("12 Harbor Road", ((Map<?, ?>) book.find(erased).orElseThrow().get("shipping")).get("line1"));
        assertFalse(book.changeShippingAddress("cs_test_never_changed", Optional.of(asOrdered), paris, 1, at, "sam",
                addressLine("cs_test_never_changed")));
        assertTrue(book.find("cs_test_never_changed").isEmpty(), "no order made up");
        assertEquals(0, addressLines(trail, shipped) + addressLines(trail, erased));
    }

    /**
     * An email correction is one transaction of the order's address, its keyed hash and count, and its trail line,
     * conditional on a paid, unerased order with the address and the count read: the byEmailHash index moves with it,
     * so a search by the corrected address finds the order and one by the old address no longer does.
     */
    @Test
    void anEmailCorrectionIsConditionalOnTheAddressReadMovesTheIndexAndWritesItsLineWithItOrNothing() {
        String mistyped = "ada-" + UUID.randomUUID() + "@gmial.com";
        String right = "ada-" + UUID.randomUUID() + "@gmail.com";
        String id = create(OrderStatus.PAID, Instant.parse(year + "-04-07T10:00:00Z"), mistyped, null);
        Instant at = Instant.parse("2026-11-26T08:30:00Z");
        DynamoAuditTrail trail = new DynamoAuditTrail(aws.dynamo(), aws.physicalName("AdminAuditTable"), Clock.systemUTC());
        EmailAddress to = new EmailAddress(right);

        // A page that read another address, none, or another count: refused whole.
        assertFalse(book.changeCustomerEmail(id, Optional.of("someone@gmial.com"), to, 1, at, "sam", emailLine(id)));
        assertFalse(book.changeCustomerEmail(id, Optional.empty(), to, 1, at, "sam", emailLine(id)));
        assertFalse(book.changeCustomerEmail(id, Optional.of(mistyped), to, 2, at, "sam", emailLine(id)));
        assertEquals(mistyped, book.find(id).orElseThrow().get("customerEmail"));
        assertEquals(0, emailLines(trail, id));
        operations.clear();

        assertTrue(book.changeCustomerEmail(id, Optional.of(mistyped), to, 1, at, "sam", emailLine(id)));

        assertEquals(List.of("TransactWriteItems"), operations, "the change and its line in one transaction");
        Map<String, Object> order = book.find(id).orElseThrow();
        assertEquals(right, order.get("customerEmail"));
        assertEquals(shop.commerce.orders.OrderIndexes.emailHash(Samples.HASHER, right), order.get("emailHash"));
        assertEquals(1L, order.get("emailChanges"));
        assertEquals(at.toString(), order.get("emailChangedAt"));
        assertEquals("sam", order.get("emailChangedBy"));
        assertEquals("PAID", order.get("status"));
        assertEquals(1, emailLines(trail, id));
        assertEquals(right, store.find(id).orElseThrow().customerEmail(), "what the notification function reads");
        assertEquals(List.of(id), book.byEmail(to, 25, Optional.empty()).orders().stream().map(OrderSummary::id).toList());
        assertEquals(List.of(), book.byEmail(new EmailAddress(mistyped), 25, Optional.empty()).orders());

        // The same (now stale) read again: a double press that skipped the service's check.
        assertFalse(book.changeCustomerEmail(id, Optional.of(mistyped), to, 1, at, "sam", emailLine(id)));
        assertEquals(1, emailLines(trail, id));

        // Not confirmed to the customer, or erased: refused, nothing written.
        for (OrderStatus status : List.of(OrderStatus.FAILED, OrderStatus.PENDING_PAYMENT, OrderStatus.NEEDS_ATTENTION)) {
            String other = create(status, Instant.parse(year + "-04-08T10:00:00Z"), mistyped, null);
            assertFalse(book.changeCustomerEmail(other, Optional.of(mistyped), to, 1, at, "sam", emailLine(other)),
                    status.name());
            assertEquals(mistyped, book.find(other).orElseThrow().get("customerEmail"));
        }
        String erased = create(OrderStatus.PAID, Instant.parse(year + "-04-09T10:00:00Z"), mistyped, null);
        aws.dynamo().updateItem(b -> b.tableName(aws.physicalName("OrdersTable")).key(shop.core.dynamo.DynamoItems.key(
                "ORDER#" + erased)).updateExpression("SET erasedAt = :at")
                .expressionAttributeValues(Map.of(":at", shop.core.dynamo.DynamoItems.s(at.toString()))));
        assertFalse(book.changeCustomerEmail(erased, Optional.of(mistyped), to, 1, at, "sam", emailLine(erased)));
        assertFalse(book.changeCustomerEmail("cs_test_never_corrected", Optional.of(mistyped), to, 1, at, "sam",
                emailLine("cs_test_never_corrected")));
        assertTrue(book.find("cs_test_never_corrected").isEmpty(), "no order made up");
        assertEquals(0, emailLines(trail, erased));
    }

    /** The suppression list as the SES feedback function writes it: a bounce or a complaint, not an unsubscribe. */
    @Test
    void theSuppressionListTellsABouncedOrComplainedAboutAddressFromAnUnsubscribedOne() {
        String subscribers = aws.physicalName("SubscribersTable");
        var suppressions = new DynamoMailSuppressions(aws.dynamo(), subscribers, Samples.HASHER, Clock.systemUTC());
        Map<String, String> reasons = Map.of("bounced-" + UUID.randomUUID() + "@example.com", "bounce",
                "complained-" + UUID.randomUUID() + "@example.com", "complaint",
                "left-" + UUID.randomUUID() + "@example.com", "unsubscribe");
        reasons.forEach((address, reason) -> aws.dynamo().putItem(b -> b.tableName(subscribers).item(Map.of(
                "pk", shop.core.dynamo.DynamoItems.s("SUPPRESSION#" + Samples.HASHER.hash(new EmailAddress(address))),
                "reason", shop.core.dynamo.DynamoItems.s(reason),
                "since", shop.core.dynamo.DynamoItems.s(Instant.now().toString())))));

        reasons.forEach((address, reason) -> assertEquals(reason.equals("unsubscribe") ? Optional.empty() : Optional.of(reason),
                suppressions.undeliverable(" " + address.toUpperCase() + " "), address));
        assertEquals(Optional.empty(), suppressions.undeliverable("never-" + UUID.randomUUID() + "@example.com"));
        suppressions.prime();
    }

    private static long emailLines(DynamoAuditTrail trail, String id) {
        return trail.of("ORDER#" + id).stream().filter(a -> a.action().equals("order.email_changed")).count();
    }

    private static AdminAction emailLine(String orderId) {
        return new AdminAction("ORDER#" + orderId, Instant.now(), "sub-sam", "sam", "order.email_changed",
                "{\"change\":0,\"bounced\":true}", "{\"change\":1}", Instant.now().plusSeconds(86_400).getEpochSecond());
    }

    private static long addressLines(DynamoAuditTrail trail, String id) {
        return trail.of("ORDER#" + id).stream().filter(a -> a.action().equals("order.shipping_address_changed")).count();
    }

    private static AdminAction addressLine(String orderId) {
        return new AdminAction("ORDER#" + orderId, Instant.now(), "sub-sam", "sam", "order.shipping_address_changed",
                "{\"country\":\"US\"}", "{\"country\":\"FR\"}", Instant.now().plusSeconds(86_400).getEpochSecond());
    }

    private static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item(String id) {
        return aws.dynamo().getItem(b -> b.tableName(aws.physicalName("OrdersTable"))
                .key(shop.core.dynamo.DynamoItems.key("ORDER#" + id)).consistentRead(true)).item();
    }

    private static AdminAction correction(String orderId) {
        return new AdminAction("ORDER#" + orderId, Instant.now(), "sub-olive", "olive", "order.shipment_corrected",
                "{}", "{}", Instant.now().plusSeconds(86_400).getEpochSecond());
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

    /**
     * Disputes recorded before the open-disputes index: the open one gets its keys (and is listed by
     * its deadline), the closed one none; a second run changes nothing.
     */
    @Test
    void theBackfillListsTheDisputesOpenBeforeTheIndexAndNotTheClosedOnes() {
        var accounts = new DynamoOrderAccounts(aws.dynamo(), aws.physicalName("OrdersTable"), Clock.systemUTC());
        String table = aws.physicalName("OrdersTable");
        Instant opened = Instant.parse("2026-11-20T10:00:00Z");
        Instant due = Instant.parse(year + "-05-20T23:59:59Z");
        String open = create(OrderStatus.SHIPPED, Instant.parse(year + "-05-06T10:00:00Z"));
        String closed = create(OrderStatus.PAID, Instant.parse(year + "-05-07T10:00:00Z"));
        accounts.recordDispute(accounts.find(open).orElseThrow(), Dispute.of("du_b" + open, "fraudulent", "under_review",
                18500, "usd", due, opened, opened), opened);
        accounts.recordDispute(accounts.find(closed).orElseThrow(), Dispute.of("du_b" + closed, "fraudulent", "lost",
                18500, "usd", null, opened, opened), opened);
        for (String id : List.of(open, closed)) { // as an order from before the index was written
            aws.dynamo().updateItem(b -> b.tableName(table).key(shop.core.dynamo.DynamoItems.key("ORDER#" + id))
                    .updateExpression("REMOVE disputeOpen, disputeDueBy"));
        }
        assertFalse(ids(book.openDisputes(100, Optional.empty())).contains(open));

        assertTrue(DynamoOrderIndexBackfill.run(aws.dynamo(), table, Samples.HASHER) >= 1);
        var listed = aws.dynamo().getItem(b -> b.tableName(table).key(shop.core.dynamo.DynamoItems.key("ORDER#" + open))).item();
        DynamoOrderIndexBackfill.run(aws.dynamo(), table, Samples.HASHER);
        assertEquals(listed, aws.dynamo().getItem(b -> b.tableName(table).key(shop.core.dynamo.DynamoItems.key("ORDER#" + open)))
                .item(), "a second run changes nothing");

        assertEquals(year + "-05-20T23:59:59.000000000Z#" + open, listed.get("disputeDueBy").s());
        List<String> ids = new ArrayList<>();
        Optional<Map<String, String>> after = Optional.empty();
        do {
            OrderBook.Page page = book.openDisputes(100, after);
            ids.addAll(ids(page));
            after = page.next();
        } while (after.isPresent());
        assertTrue(ids.contains(open));
        assertFalse(ids.contains(closed));
    }

    private static List<String> ids(OrderBook.Page page) {
        return page.orders().stream().map(OrderSummary::id).toList();
    }

    @Test
    void aSearchByNumberIsAQueryOnItsIndexNewestFirstWithTheListsColumns() {
        String id = create(OrderStatus.PAID, Instant.parse(year + "-06-01T10:00:00Z"));
        String number = store.find(id).orElseThrow().number();
        operations.clear();

        List<OrderSummary> found = book.byNumber(number, 25, Optional.empty()).orders();

        assertEquals(List.of(id), found.stream().map(OrderSummary::id).toList());
        OrderSummary summary = found.get(0);
        assertEquals(number, summary.number());
        assertEquals("PAID", summary.status());
        assertEquals("Ada Lovelace", summary.customerName());
        assertEquals(18500, summary.total());
        assertEquals(year + "-06-01T10:00:00Z", summary.createdAt());
        assertEquals(List.of("Query"), operations);
        assertEquals(List.of(), book.byNumber("ZZZZ-ZZZZ", 25, Optional.empty()).orders(), "a number no order has");
    }

    @Test
    void ordersThatShareANumberArePagedNewestFirst() {
        // Eight characters of base32 from the id's hash: two orders may share a number, and both are found.
        String number = OrderNumber.of("cs_test_shared_" + UUID.randomUUID());
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mine.add(0, create(OrderStatus.PAID, Instant.parse(year + "-06-02T10:00:00Z").plusSeconds(i), "ada@example.com", number));
        }

        List<String> seen = new ArrayList<>();
        Optional<Map<String, String>> after = Optional.empty();
        int pages = 0;
        do {
            OrderBook.Page page = book.byNumber(number, 2, after);
            page.orders().forEach(o -> seen.add(o.id()));
            after = page.next();
            after.ifPresent(position -> assertEquals(Set.of("pk", "listedAt"), position.keySet()));
            pages++;
        } while (after.isPresent());

        assertEquals(mine, seen);
        assertEquals(2, pages);
    }

    @Test
    void aSearchByEmailFindsTheAddressesOrdersByItsKeyedHashAcrossPagesAndLeavesOutOrdersNoLongerTheirs() {
        String email = "grace-" + UUID.randomUUID() + "@example.com";
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mine.add(0, create(OrderStatus.PAID, Instant.parse(year + "-06-03T10:00:00Z").plusSeconds(i), email, null));
        }
        create(OrderStatus.PAID, Instant.parse(year + "-06-03T11:00:00Z"), "someone-" + UUID.randomUUID() + "@example.com", null);
        // The customer's address on one order was changed since: the index may still list it under the old hash.
        String moved = mine.remove(2);
        aws.dynamo().updateItem(b -> b.tableName(aws.physicalName("OrdersTable")).key(shop.core.dynamo.DynamoItems.key("ORDER#" + moved))
                .updateExpression("SET customerEmail = :other")
                .expressionAttributeValues(Map.of(":other", shop.core.dynamo.DynamoItems.s("other@example.com"))));
        operations.clear();

        List<OrderSummary> seen = new ArrayList<>();
        Optional<Map<String, String>> after = Optional.empty();
        int pages = 0;
        do {
            OrderBook.Page page = book.byEmail(new EmailAddress(" " + email.toUpperCase() + " "), 2, after);
            seen.addAll(page.orders());
            after = page.next();
            after.ifPresent(position -> assertEquals(Set.of("pk", "listedAt"), position.keySet(), "no hash in a position"));
            pages++;
        } while (after.isPresent());

        assertEquals(mine, seen.stream().map(OrderSummary::id).toList());
        assertTrue(pages >= 2, "more orders than one page");
        assertEquals("Ada Lovelace", seen.get(0).customerName());
        assertEquals(18500, seen.get(0).total());
        assertEquals("PAID", seen.get(0).status());
        assertEquals(store.find(mine.get(0)).orElseThrow().number(), seen.get(0).number());
        assertEquals(Set.of("Query", "BatchGetItem"), Set.copyOf(operations));
        assertEquals(List.of(), book.byEmail(new EmailAddress("nobody-" + UUID.randomUUID() + "@example.com"), 25,
                Optional.empty()).orders());
    }

    @Test
    void theNumbersOfAPageOfOrdersAreBatchReadsOfAHundredOrdersEach() {
        String first = create(OrderStatus.PAID, Instant.parse(year + "-06-04T10:00:00Z"));
        String second = create(OrderStatus.SHIPPED, Instant.parse(year + "-06-04T11:00:00Z"));
        List<String> ids = new ArrayList<>(List.of(first, second, first, "not-an-order-id"));
        for (int i = 0; i < 110; i++) {
            ids.add("cs_test_never_ordered_" + i);
        }
        operations.clear();

        Map<String, String> numbers = book.of(ids);

        assertEquals(Map.of(first, store.find(first).orElseThrow().number(), second, store.find(second).orElseThrow().number()),
                numbers);
        assertEquals(List.of("BatchGetItem", "BatchGetItem"), operations, "112 orders: two reads, none per order");
        operations.clear();
        assertEquals(Map.of(), book.of(List.of()));
        assertEquals(List.of(), operations, "nothing to read");
    }

    @Test
    void aForgedSearchPositionIsTheCallersMistake() {
        String valid = year + "-03-01T10:00:00.000000000Z#cs_test_x";
        for (Map<String, String> forged : List.of(
                Map.of("pk", "ORDER#cs_test_x"),
                Map.of("pk", "ORDER#cs_test_x", "listedAt", "' OR 1=1"),
                Map.of("pk", "MAIL#cs_test_x", "listedAt", valid),
                Map.of("pk", "ORDER#cs_test_x", "listedAt", valid, "emailHash", "00"),
                Map.of("pk", "ORDER#cs_test_x", "listedAt", valid, "orderNumber", "AAAA-AAAA"))) {
            assertThrows(InvalidInputException.class, () -> book.byNumber("AAAA-AAAA", 5, Optional.of(forged)), forged.toString());
            assertThrows(InvalidInputException.class, () -> book.byEmail(new EmailAddress("ada@example.com"), 5,
                    Optional.of(forged)), forged.toString());
        }
    }

    private static AdminAction line(String orderId) {
        return new AdminAction("ORDER#" + orderId, Instant.now(), "sub-sam", "sam", "order.shipped", null, null,
                Instant.now().plusSeconds(86_400).getEpochSecond());
    }

    private static String create(OrderStatus status, Instant createdAt) {
        return create(status, createdAt, "ada@example.com", null);
    }

    private static String create(OrderStatus status, Instant createdAt, String email, String number) {
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        var sample = Samples.order(id, status, email, "Ada Lovelace");
        var order = new shop.commerce.orders.Order(sample.id(), number == null ? sample.number() : number, sample.status(), sample.reservationId(),
                sample.customerName(), sample.customerEmail(), sample.shipping(), sample.billing(), sample.items(),
                sample.totals(), 0, sample.paymentIntentId(), false, createdAt, sample.paidAt(), Set.of(),
                sample.attentionReason());
        assertTrue(store.create(order, Instant.now().atZone(ZoneOffset.UTC).plusDays(1).toEpochSecond()));
        return id;
    }
}
