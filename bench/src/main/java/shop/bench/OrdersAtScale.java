package shop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;
import shop.commerce.orders.OrderIndexes;
import shop.core.security.AddressHasher;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalParameters;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Issue 14's scale check: one page of the back office's order list ({@code GET /admin/orders?status=PAID})
 * and one privacy access request, each invoked through its shipped jar against an orders table
 * holding a small and then a big number of orders. Their reads are Queries on indexes (byStatus,
 * byEmailHash) and GetItems of one person's orders, so the read units they use follow the page
 * and the person, not the table: the big table must cost what the small one does.
 *
 * <p>The table is filled with BatchWriteItem with copies of a real paid order the flows left
 * (same attributes and size; new ids, dates over a year, statuses, addresses and their keyed
 * hashes). Two customers have three copies each among the first thousand: the first one's access
 * request is measured against the small table, the second one's against the big table (the
 * first one's request, once made, would be part of their data the second time). The accounting
 * export of the year is measured at the small table, per order exported. It runs after
 * the cold starts, so that no other figure is taken against the big table.
 */
final class OrdersAtScale {
    static final String ADMIN_ORDERS = "AdminOrdersFunction";
    static final String PRIVACY = "PrivacyRequestsFunction";
    static final String LIST_PAGE = "one page of GET /admin/orders?status=PAID (25 orders)";
    static final String ACCESS = "one privacy access request (its confirmation, which reads the person's orders)";
    static final String EXPORT = "the accounting export of the last 365 days (every order of it, a CSV to S3)";
    static final String LIST_SAMPLE = "list-orders-to-ship.json";
    private static final int LIST_RUNS = 3;
    /** The page size the admin page asks for. */
    private static final int PAGE = 25;

    /**
     * One measured invocation against a table of {@code orders} orders: its time (of it, in
     * DynamoDB calls), and its DynamoDB calls, items read and read units in all and on the orders
     * table alone (an access request reads other tables too, which grow with other things).
     */
    record Row(String what, long orders, Double millis, Double dynamoMillis, double calls, double ordersCalls,
               double itemsRead, double ordersItemsRead, double readUnits, double ordersReadUnits,
               double readUnitsReported, String outcome) {
    }

    /** The whole check: the sizes, how long the filling took, the rows side by side. */
    record Result(String status, long small, long big, Double fillSeconds, Double fillPerSecond, List<Row> rows) {
        static Result notApplicable(String why) {
            return new Result("n/a: " + why, 0, 0, null, null, List.of());
        }

        Row row(String what, long orders) {
            return rows.stream().filter(r -> r.what().equals(what) && r.orders() == orders).findFirst().orElse(null);
        }
    }

    private final LocalAws aws;
    private final Map<String, InProcess> hosts;
    private final Map<String, Map<String, String>> environments;
    private final EventSamples samples;
    private final DynamoDbClient dynamo;
    private final String table;

    OrdersAtScale(LocalAws aws, Map<String, InProcess> hosts, Map<String, Map<String, String>> environments,
                  EventSamples samples) {
        this.aws = aws;
        this.hosts = hosts;
        this.environments = environments;
        this.samples = samples;
        this.dynamo = aws.dynamo();
        this.table = aws.physicalName("OrdersTable");
    }

    Result run(long small, long big) {
        if (big <= 0) {
            return Result.notApplicable("skipped (--orders 0)");
        }
        if (!hosts.containsKey(ADMIN_ORDERS) || !hosts.containsKey(PRIVACY)) {
            return Result.notApplicable("needs " + ADMIN_ORDERS + " and " + PRIVACY);
        }
        try {
            var paid = dynamo.query(q -> q.tableName(table).indexName(OrderIndexes.BY_STATUS)
                    .keyConditionExpression("#s = :s").expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("PAID"))).limit(1)).items();
            if (paid.isEmpty()) {
                return Result.notApplicable("no paid order to copy (the order flow did not run)");
            }
            Map<String, AttributeValue> model = dynamo.getItem(g -> g.tableName(table).key(Map.of("pk", paid.get(0).get("pk")))
                    .consistentRead(true)).item();
            // The key the functions read from the local SSM SecureString.
            var hasher = new AddressHasher(LocalParameters.ADDRESS_HASH_KEY);
            long existing = orderCount();
            List<Row> rows = new ArrayList<>();
            long started = System.nanoTime();
            long added = fill(model, hasher, 0, Math.max(0, small - existing));
            double seconds = (System.nanoTime() - started) / 1e9;
            rows.add(listPage(existing + added));
            rows.add(access(customer(3), existing + added));
            rows.add(export(existing + added));
            long smallSize = existing + added;
            started = System.nanoTime();
            long more = fill(model, hasher, added, Math.max(0, big - smallSize));
            seconds += (System.nanoTime() - started) / 1e9;
            rows.add(listPage(smallSize + more));
            rows.add(access(customer(5), smallSize + more));
            return new Result("measured", smallSize, smallSize + more, Results.number(seconds),
                    Results.number((added + more) / seconds), List.copyOf(rows));
        } catch (Exception | LinkageError e) {
            return Result.notApplicable("failed: " + e);
        }
    }

    /** The orders already in the table (a Scan, the bench's own; no request path scans). */
    private long orderCount() {
        long count = 0;
        for (var page : dynamo.scanPaginator(s -> s.tableName(table).select(Select.COUNT)
                .filterExpression("begins_with(pk, :o)").expressionAttributeValues(Map.of(":o", AttributeValue.fromS("ORDER#"))))) {
            count += page.count();
        }
        return count;
    }

    /** Copies {@code count} orders numbered from {@code from}, 25 to a BatchWriteItem. */
    private long fill(Map<String, AttributeValue> model, AddressHasher hasher, long from, long count) {
        Bench.log("Orders at scale: writing " + count + " orders (from copy " + from + ")");
        Instant newest = Instant.parse(model.get("createdAt").s()).minus(Duration.ofDays(1));
        return fill(dynamo, table, from, count, i -> copy(model, hasher, i, newest));
    }

    /** Puts {@code item(i)} for i from {@code from} to {@code from + count - 1}, 25 to a BatchWriteItem; returns count. */
    static long fill(DynamoDbClient dynamo, String table, long from, long count,
                     LongFunction<Map<String, AttributeValue>> item) {
        List<WriteRequest> batch = new ArrayList<>();
        for (long i = from; i < from + count; i++) {
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item.apply(i)).build()).build());
            if (batch.size() == 25 || i == from + count - 1) {
                write(dynamo, Map.of(table, List.copyOf(batch)));
                batch.clear();
            }
        }
        return count;
    }

    /** One BatchWriteItem, and again with what it left unprocessed until nothing is. */
    private static void write(DynamoDbClient dynamo, Map<String, List<WriteRequest>> requests) {
        var answer = dynamo.batchWriteItem(b -> b.requestItems(requests));
        if (answer.hasUnprocessedItems() && !answer.unprocessedItems().isEmpty()) {
            write(dynamo, answer.unprocessedItems());
        }
    }

    /**
     * Whose the i-th copy is: copies 3, 7 and 11 are one customer's, 5, 9 and 13 another's, every
     * other copy someone's alone.
     */
    private static String customer(long i) {
        if (i == 3 || i == 7 || i == 11) {
            return "first-customer@bench.example";
        }
        if (i == 5 || i == 9 || i == 13) {
            return "second-customer@bench.example";
        }
        return "customer" + i + "@bench.example";
    }

    /**
     * The i-th copy: five minutes older than the one before (100,000 orders span about a year),
     * one in twenty still to ship, one in fifty refunded, the rest shipped.
     */
    private static Map<String, AttributeValue> copy(Map<String, AttributeValue> model, AddressHasher hasher, long i,
                                                    Instant newest) {
        Map<String, AttributeValue> item = new HashMap<>(model);
        String id = "cs_bench_" + String.format(Locale.ROOT, "%010d", i);
        Instant created = newest.minus(Duration.ofMinutes(5 * i));
        String status = i % 20 == 0 ? "PAID" : i % 50 == 1 ? "REFUNDED" : "SHIPPED";
        item.put("pk", AttributeValue.fromS("ORDER#" + id));
        item.put("orderNumber", AttributeValue.fromS(String.format(Locale.ROOT, "B%03X-%04X", i >> 16 & 0xFFF, i & 0xFFFF)));
        item.put("status", AttributeValue.fromS(status));
        item.put("createdAt", AttributeValue.fromS(created.toString()));
        item.put("updatedAt", AttributeValue.fromS(created.toString()));
        item.put("paidAt", AttributeValue.fromS(created.toString()));
        item.put(OrderIndexes.LISTED_AT, AttributeValue.fromS(OrderIndexes.listedAt(created, id)));
        item.put(OrderIndexes.CREATED_MONTH, AttributeValue.fromS(OrderIndexes.createdMonth(created)));
        if (!status.equals("PAID")) {
            item.put("fulfilledAt", AttributeValue.fromS(created.plus(Duration.ofDays(1)).toString()));
        }
        String email = customer(i);
        item.put("customerEmail", AttributeValue.fromS(email));
        item.put(OrderIndexes.EMAIL_HASH, AttributeValue.fromS(OrderIndexes.emailHash(hasher, email)));
        return item;
    }

    /** The first page of "to ship", as the admin page asks for it: of three calls, the one of median time. */
    private Row listPage(long orders) throws Exception {
        InProcess admin = hosts.get(ADMIN_ORDERS);
        JsonNode sample = EventSamples.read(admin.function().eventsDir().resolve(LIST_SAMPLE));
        List<Row> runs = new ArrayList<>();
        for (int run = 0; run < LIST_RUNS; run++) {
            admin.drainCounts();
            InProcess.Invocation page = admin.invoke(samples.fresh(sample, environments.get(ADMIN_ORDERS)));
            Map<String, Double> counts = admin.drainCounts();
            int listed = page.succeeded() ? EventSamples.JSON.readTree(EventSamples.JSON.readTree(page.answer())
                    .path("body").asText()).path("orders").size() : 0;
            runs.add(row(LIST_PAGE, orders, page.millis(), counts,
                    listed == PAGE ? page.outcome() : "failed: " + page.outcome() + " with " + listed + " orders"));
        }
        runs.sort(Comparator.comparing(Row::millis));
        Row median = runs.get(runs.size() / 2);
        Bench.log("Orders at scale: list page at " + orders + " orders, " + median.millis() + " ms");
        return median;
    }

    /**
     * The back office's accounting export of the last 365 days, from the small table (every order
     * in it is of that year): the work is reading every order, so its time and units are per
     * order exported, and the outcome says how many. Not at the big table: a year of 100,000
     * orders is a shop this backend is not sized for (and on moto about a minute and a half).
     */
    private Row export(long orders) throws Exception {
        InProcess admin = hosts.get(ADMIN_ORDERS);
        ObjectNode event = (ObjectNode) EventSamples.JSON.readTree(samples.fresh(
                EventSamples.read(admin.function().eventsDir().resolve("export-a-year.json")), environments.get(ADMIN_ORDERS)));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        event.put("body", EventSamples.JSON.createObjectNode().put("from", today.minusDays(364).toString())
                .put("to", today.toString()).toString());
        admin.drainCounts();
        InProcess.Invocation export = admin.invoke(event.toString());
        Map<String, Double> counts = admin.drainCounts();
        long exported = export.succeeded() ? EventSamples.JSON.readTree(EventSamples.JSON.readTree(export.answer())
                .path("body").asText()).path("orders").asLong() : 0;
        Bench.log("Orders at scale: export of " + exported + " orders at " + orders + " orders, " + export.millis() + " ms");
        String outcome = exported == 0 ? "failed: " + export.outcome() : String.format(Locale.ROOT,
                "%s: %,d orders exported, %.1f ms per 1,000", export.outcome(), exported, export.millis() * 1000 / exported);
        return row(EXPORT, orders, export.millis(), counts, outcome);
    }

    /** An access request for the customer: asked for untimed, its confirmation (the access itself) measured. */
    private Row access(String email, long orders) throws Exception {
        InProcess privacy = hosts.get(PRIVACY);
        var events = privacy.function().eventsDir();
        ObjectNode submit = (ObjectNode) EventSamples.JSON.readTree(
                samples.fresh(EventSamples.read(events.resolve("submit-access.json")), environments.get(PRIVACY)));
        submit.put("body", EventSamples.JSON.createObjectNode().put("email", email).put("type", "access").toString());
        InProcess.Invocation asked = privacy.invoke(submit.toString());
        if (!asked.succeeded()) {
            throw new IllegalStateException("the access request answered " + asked.outcome());
        }
        String token = Flows.token(aws.mailbox(), email, Flows.VERIFY_TOKEN);
        String confirm = samples.fresh(EventSamples.JSON.readTree(
                Flows.withToken(EventSamples.read(events.resolve("verify-confirm.json")), token)), environments.get(PRIVACY));
        privacy.drainCounts();
        InProcess.Invocation done = privacy.invoke(confirm);
        Map<String, Double> counts = privacy.drainCounts();
        Bench.log("Orders at scale: access request at " + orders + " orders, " + done.millis() + " ms");
        return row(ACCESS, orders, done.millis(), counts, done.outcome());
    }

    private Row row(String what, long orders, double millis, Map<String, Double> counts, String outcome) {
        double calls = counts.entrySet().stream().filter(e -> e.getKey().startsWith("call:DynamoDb."))
                .mapToDouble(Map.Entry::getValue).sum();
        return new Row(what, orders, Results.number(millis), Results.number(counts.getOrDefault("dynamodb.ms", Double.NaN)),
                calls, counts.getOrDefault("dynamodb.calls@" + table, 0.0),
                counts.getOrDefault("dynamodb.items", 0.0), counts.getOrDefault("dynamodb.items@" + table, 0.0),
                counts.getOrDefault("dynamodb.rru.bySize", 0.0), counts.getOrDefault("dynamodb.rru.bySize@" + table, 0.0),
                counts.getOrDefault("dynamodb.rru.reported", 0.0), outcome);
    }
}
