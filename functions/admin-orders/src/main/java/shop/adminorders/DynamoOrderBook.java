package shop.adminorders;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;
import static shop.core.dynamo.DynamoItems.text;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import shop.commerce.orders.DynamoDeferredErasure;
import shop.commerce.orders.DynamoOrderStore;
import shop.commerce.orders.OrderIndexes;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.OrderStep;
import shop.commerce.orders.Shipment;
import shop.commerce.stats.DynamoOrderCounter;
import shop.core.admin.AdminAction;
import shop.core.dynamo.DynamoAuditTrail;
import shop.core.dynamo.DynamoBatchReads;
import shop.core.dynamo.DynamoItems;
import shop.core.dynamo.DynamoTransactions;
import shop.core.email.EmailAddress;
import shop.core.security.AddressHasher;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link OrderBook} on the orders table and its indexes ({@link OrderIndexes}): lists are Queries
 * on {@code byStatus} or {@code byMonth}, newest first, and on {@code byOpenDispute}, soonest
 * evidence deadline first; a search by number a Query on
 * {@code byOrderNumber}; a search by email a Query on {@code byEmailHash} (keys only) and one
 * consistent BatchGetItem of the page's orders; an order is one consistent GetItem; its mails one
 * Query on {@code mailsByOrder}; a shipment, its correction, a shipping address change, a customer email correction
 * and an acceptance each one {@code TransactWriteItems}
 * with the change's audit line. Never a Scan.
 * Index reads are eventually consistent, so an order shipped a moment ago may still show under PAID
 * for a moment; the shipment's own write is conditional on PAID, so that can cause no harm.
 */
public final class DynamoOrderBook implements OrderBook, OrderNumbers {
    /** How many months one request of the all-orders list looks back before it hands out a position. */
    static final int MONTHS_PER_PAGE = 24;
    private static final Pattern ORDER_PK = Pattern.compile("ORDER#cs_[A-Za-z0-9_]{1,200}");
    private static final Pattern LISTED_AT = Pattern.compile(
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{9}Z#cs_[A-Za-z0-9_]{1,200}");
    private static final Pattern MONTH = Pattern.compile("[0-9]{4}-(0[1-9]|1[0-2])");
    private static final Pattern DISPUTE_DUE_BY = Pattern.compile(
            "([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{9}Z|" + OrderIndexes.NO_DEADLINE
                    + ")#cs_[A-Za-z0-9_]{1,200}");
    /** What a search by email reads of each order: the list's columns, and what says the order is still theirs and live. */
    private static final List<String> SEARCH_READS = List.of("pk", "orderNumber", "status", "createdAt", "customerName",
            "currency", "amountTotal", "amountRefunded", "country", "fulfilledAt", "customerEmail", "expiresAt");
    /** What the packing slips of the orders to ship read of each: no email, billing address or amount. */
    private static final List<String> PACKING_READS = List.of("pk", "orderNumber", "status", "fulfilledAt", "customerName",
            "shipping", "items", "expiresAt");

    private final DynamoDbClient dynamo;
    private final String table;
    private final String productsTable;
    private final DynamoOrderCounter counter;
    private final DynamoAuditTrail trail;
    private final AddressHasher hasher;
    private final Clock clock;

    /**
     * @param productsTable the catalog, whose stock an acceptance takes pieces from
     * @param counter       the orders-per-day count an acceptance raises once
     * @param trail         where each change's line is written, in the change's own transaction
     * @param hasher        the keyed hash of addresses the orders' {@code emailHash} was written with (read on first use)
     */
    public DynamoOrderBook(DynamoDbClient dynamo, String table, String productsTable, DynamoOrderCounter counter,
                           DynamoAuditTrail trail, AddressHasher hasher, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.productsTable = productsTable;
        this.counter = counter;
        this.trail = trail;
        this.hasher = hasher;
        this.clock = clock;
    }

    @Override
    public Page byStatus(OrderStatus status, boolean oldestFirst, int limit, Optional<Map<String, String>> after) {
        Optional<Map<String, AttributeValue>> start = after.map(key -> {
            checkKey(key, Set.of("pk", "status", OrderIndexes.LISTED_AT));
            if (!key.get("status").equals(status.name())) {
                throw PageToken.invalid();
            }
            return attributes(key);
        });
        List<OrderSummary> orders = new ArrayList<>();
        Map<String, AttributeValue> next = start.orElse(null);
        // Expired orders (TTL deletes within days, not at the second) are left out, so a page may ask twice.
        do {
            QueryResponse page = query(QueryRequest.builder().tableName(table).indexName(OrderIndexes.BY_STATUS)
                    .keyConditionExpression("#status = :status")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":status", s(status.name())))
                    .scanIndexForward(oldestFirst).limit(limit - orders.size()), next);
            page.items().stream().filter(this::live).map(DynamoOrderBook::summary).forEach(orders::add);
            next = lastKey(page);
        } while (next != null && orders.size() < limit);
        return new Page(orders, Optional.ofNullable(next).map(DynamoOrderBook::strings));
    }

    @Override
    public Page newest(int limit, Optional<Map<String, String>> after, YearMonth newest, YearMonth oldest) {
        YearMonth month = newest;
        Map<String, AttributeValue> next = null;
        if (after.isPresent()) {
            Map<String, String> key = after.get();
            if (!key.keySet().equals(Set.of(OrderIndexes.CREATED_MONTH))) {
                checkKey(key, Set.of("pk", OrderIndexes.CREATED_MONTH, OrderIndexes.LISTED_AT));
                next = attributes(key);
            }
            String m = key.get(OrderIndexes.CREATED_MONTH);
            if (m == null || !MONTH.matcher(m).matches()) {
                throw PageToken.invalid();
            }
            month = YearMonth.parse(m);
            if (month.isAfter(newest)) {
                throw PageToken.invalid();
            }
        }
        List<OrderSummary> orders = new ArrayList<>();
        int months = 0;
        while (orders.size() < limit && !month.isBefore(oldest) && months < MONTHS_PER_PAGE) {
            QueryResponse page = query(QueryRequest.builder().tableName(table).indexName(OrderIndexes.BY_MONTH)
                    .keyConditionExpression("#month = :month")
                    .expressionAttributeNames(Map.of("#month", OrderIndexes.CREATED_MONTH))
                    .expressionAttributeValues(Map.of(":month", s(month.toString())))
                    .scanIndexForward(false).limit(limit - orders.size()), next);
            page.items().stream().filter(this::live).map(DynamoOrderBook::summary).forEach(orders::add);
            next = lastKey(page);
            if (next == null) {
                month = month.minusMonths(1);
                months++;
            }
        }
        if (next != null) {
            return new Page(orders, Optional.of(strings(next)));
        }
        return new Page(orders, month.isBefore(oldest) ? Optional.empty()
                : Optional.of(Map.of(OrderIndexes.CREATED_MONTH, month.toString())));
    }

    @Override
    public Page byNumber(String number, int limit, Optional<Map<String, String>> after) {
        return search(OrderIndexes.BY_ORDER_NUMBER, OrderIndexes.ORDER_NUMBER, number, limit, after,
                items -> items.stream().filter(this::live).map(DynamoOrderBook::summary).toList());
    }

    @Override
    public Page byEmail(EmailAddress address, int limit, Optional<Map<String, String>> after) {
        return byEmailHash(OrderIndexes.emailHash(hasher, address.value()),
                email -> email.strip().toLowerCase(Locale.ROOT).equals(address.value()), limit, after);
    }

    /**
     * The index holds keys only (it serves privacy requests, which read each order anyway), so a
     * page of keys is read back at once, consistently: an order erased or given another address
     * since the index was written no longer carries the address, and is left out.
     */
    private Page byEmailHash(String hash, Predicate<String> theirs, int limit, Optional<Map<String, String>> after) {
        return search(OrderIndexes.BY_EMAIL_HASH, OrderIndexes.EMAIL_HASH, hash, limit, after,
                keys -> read(keys.stream().map(item -> item.get("pk").s()).toList()).stream()
                        .filter(item -> DynamoItems.string(item, "customerEmail").filter(theirs).isPresent())
                        .map(DynamoOrderBook::summary).toList());
    }

    /**
     * Pages of one partition of a search index, newest first, until {@code limit} orders are
     * found or the partition ends; {@code summaries} turns each page's items into the orders it lists.
     */
    private Page search(String index, String partition, String value, int limit, Optional<Map<String, String>> after,
                        Function<List<Map<String, AttributeValue>>, List<OrderSummary>> summaries) {
        Map<String, AttributeValue> next = after.map(key -> start(key, partition, value)).orElse(null);
        List<OrderSummary> orders = new ArrayList<>();
        do {
            QueryResponse page = query(QueryRequest.builder().tableName(table).indexName(index)
                    .keyConditionExpression("#partition = :value")
                    .expressionAttributeNames(Map.of("#partition", partition))
                    .expressionAttributeValues(Map.of(":value", s(value)))
                    .scanIndexForward(false).limit(limit - orders.size()), next);
            orders.addAll(summaries.apply(page.items()));
            next = lastKey(page);
        } while (next != null && orders.size() < limit);
        return new Page(orders, position(next, partition));
    }

    /** The live orders of these keys, in their order, with what a search by email reads of each. */
    private List<Map<String, AttributeValue>> read(List<String> pks) {
        return read(pks, SEARCH_READS);
    }

    /** One consistent {@code BatchGetItem} of the orders of these ids (at most 100), with what a packing slip shows. */
    @Override
    public List<Map<String, Object>> toPack(List<String> orderIds) {
        return read(orderPks(orderIds), PACKING_READS).stream().map(DynamoOrderBook::plain).toList();
    }

    /** The live orders of these keys, in their order, with the attributes {@code reads} (and {@code pk}) of each. */
    private List<Map<String, AttributeValue>> read(List<String> pks, List<String> reads) {
        if (pks.isEmpty()) {
            return List.of();
        }
        Map<String, String> names = new LinkedHashMap<>();
        for (int i = 0; i < reads.size(); i++) {
            names.put("#a" + i, reads.get(i));
        }
        Map<String, Map<String, AttributeValue>> found = DynamoBatchReads.byPk(dynamo, table, KeysAndAttributes.builder()
                .keys(pks.stream().map(DynamoItems::key).toList()).consistentRead(true)
                .projectionExpression(String.join(", ", names.keySet())).expressionAttributeNames(names).build());
        return pks.stream().map(found::get).filter(item -> item != null && live(item)).toList();
    }

    /**
     * A search's position holds the order's key and sort key; the partition (the number or the
     * keyed hash) comes from the search itself, so a page token never carries the hash of an address.
     */
    private static Map<String, AttributeValue> start(Map<String, String> key, String partition, String value) {
        checkKey(key, Set.of("pk", OrderIndexes.LISTED_AT));
        Map<String, AttributeValue> start = attributes(key);
        start.put(partition, s(value));
        return start;
    }

    private static Optional<Map<String, String>> position(Map<String, AttributeValue> next, String partition) {
        if (next == null) {
            return Optional.empty();
        }
        Map<String, String> position = strings(next);
        position.remove(partition);
        return Optional.of(position);
    }

    /**
     * One partition of {@code byOpenDispute}, in the order of its sort key (the deadline). A position
     * holds the order's key and its {@code disputeDueBy}; the partition is the constant {@code OPEN}.
     */
    @Override
    public Page openDisputes(int limit, Optional<Map<String, String>> after) {
        Map<String, AttributeValue> next = after.map(key -> {
            if (!key.keySet().equals(Set.of("pk", OrderIndexes.DISPUTE_DUE_BY)) || !ORDER_PK.matcher(key.get("pk")).matches()
                    || !DISPUTE_DUE_BY.matcher(key.get(OrderIndexes.DISPUTE_DUE_BY)).matches()
                    || !key.get(OrderIndexes.DISPUTE_DUE_BY).endsWith("#" + key.get("pk").substring("ORDER#".length()))) {
                throw PageToken.invalid();
            }
            Map<String, AttributeValue> start = attributes(key);
            start.put(OrderIndexes.DISPUTE_OPEN, s(OrderIndexes.OPEN));
            return start;
        }).orElse(null);
        List<OrderSummary> orders = new ArrayList<>();
        do {
            QueryResponse page = query(QueryRequest.builder().tableName(table).indexName(OrderIndexes.BY_OPEN_DISPUTE)
                    .keyConditionExpression("#open = :open")
                    .expressionAttributeNames(Map.of("#open", OrderIndexes.DISPUTE_OPEN))
                    .expressionAttributeValues(Map.of(":open", s(OrderIndexes.OPEN)))
                    .scanIndexForward(true).limit(limit - orders.size()), next);
            page.items().stream().filter(this::live).map(DynamoOrderBook::disputed).forEach(orders::add);
            next = lastKey(page);
        } while (next != null && orders.size() < limit);
        return new Page(orders, position(next, OrderIndexes.DISPUTE_OPEN));
    }

    /**
     * One {@code BatchGetItem} per 100 orders, reading only the number and the expiry; ids that are no order's id
     * ({@code cs_...}) are not asked for.
     */
    @Override
    public Map<String, String> of(Collection<String> orderIds) {
        return DynamoNames.of(dynamo, table, "ORDER#", orderPks(orderIds), "orderNumber", clock.instant());
    }

    /** The keys of these orders, each once; an id that is no order's id ({@code cs_...}) has none. */
    private static List<String> orderPks(Collection<String> orderIds) {
        return orderIds.stream().map(id -> "ORDER#" + id).filter(pk -> ORDER_PK.matcher(pk).matches()).distinct().toList();
    }

    @Override
    public Optional<Map<String, Object>> find(String orderId) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key("ORDER#" + orderId)).consistentRead(true)).item();
        return DynamoItems.live(item, clock.instant()).map(DynamoOrderBook::plain);
    }

    @Override
    public List<Map<String, Object>> mails(String orderId) {
        List<Map<String, Object>> mails = new ArrayList<>();
        Map<String, AttributeValue> next = null;
        do {
            QueryResponse page = dynamo.query(withStart(QueryRequest.builder().tableName(table)
                    .indexName(OrderIndexes.MAILS_BY_ORDER)
                    .keyConditionExpression("#order = :order")
                    .expressionAttributeNames(Map.of("#order", OrderIndexes.MAIL_ORDER_ID))
                    .expressionAttributeValues(Map.of(":order", s(orderId))), next).build());
            page.items().stream().filter(this::live).map(DynamoOrderBook::plain).forEach(mails::add);
            next = lastKey(page);
        } while (next != null);
        return mails;
    }

    @Override
    public boolean markShipped(String orderId, Shipment shipment, AdminAction line) {
        String at = shipment.shippedAt().toString();
        return changeWithLine("order.shipped " + orderId, List.of(
                TransactWriteItem.builder().update(Update.builder().tableName(table).key(key("ORDER#" + orderId))
                        .updateExpression("SET #status = :shipped, fulfilledAt = :at, shipment = :shipment, updatedAt = :at")
                        .conditionExpression("attribute_exists(pk) AND #status = :paid")
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(Map.of(
                                ":shipped", s(OrderStatus.SHIPPED.name()),
                                ":paid", s(OrderStatus.PAID.name()),
                                ":at", s(at),
                                ":shipment", DynamoOrderStore.shipment(shipment)))
                        .build()).build(),
                trail.line(line)));
    }

    /**
     * One {@code TransactWriteItems}: the shipment map's carrier, number and link, its count of
     * corrections, {@code correctedAt} and {@code correctedBy} (conditional on SHIPPED with the parcel
     * and the count that were read: a count never written is 0), and the line.
     */
    @Override
    public boolean correctShipment(String orderId, Shipment read, Shipment corrected, Instant at, String by,
                                   AdminAction line) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":shipped", s(OrderStatus.SHIPPED.name()));
        values.put(":readCarrier", s(read.carrier()));
        values.put(":readNumber", s(read.trackingNumber()));
        values.put(":readUrl", s(read.trackingUrl()));
        values.put(":carrier", s(corrected.carrier()));
        values.put(":number", s(corrected.trackingNumber()));
        values.put(":url", s(corrected.trackingUrl()));
        values.put(":corrections", n(corrected.corrections()));
        values.put(":at", s(at.toString()));
        values.put(":by", s(by));
        String readCount = "attribute_not_exists(#shipment.#corrections)";
        if (read.corrections() > 0) {
            readCount = "#shipment.#corrections = :readCorrections";
            values.put(":readCorrections", n(read.corrections()));
        }
        return changeWithLine("order.shipment_corrected " + orderId, List.of(
                TransactWriteItem.builder().update(Update.builder().tableName(table).key(key("ORDER#" + orderId))
                        .updateExpression("SET #shipment.#carrier = :carrier, #shipment.#number = :number,"
                                + " #shipment.#url = :url, #shipment.#corrections = :corrections,"
                                + " #shipment.correctedAt = :at, #shipment.correctedBy = :by, updatedAt = :at")
                        .conditionExpression("attribute_exists(pk) AND #status = :shipped"
                                + " AND #shipment.#carrier = :readCarrier AND #shipment.#number = :readNumber"
                                + " AND #shipment.#url = :readUrl AND " + readCount)
                        .expressionAttributeNames(Map.of("#status", "status", "#shipment", "shipment",
                                "#carrier", "carrier", "#number", "trackingNumber", "#url", "trackingUrl",
                                "#corrections", "corrections"))
                        .expressionAttributeValues(values)
                        .build()).build(),
                trail.line(line)));
    }

    /**
     * One {@code TransactWriteItems}: the order's {@code shipping} map and {@code country} replaced and the change
     * counted (conditional on PAID, no {@code fulfilledAt}, no erasure, each part of the shipping address as read and
     * the count as read: a count never written is 0), and the line.
     */
    @Override
    public boolean changeShippingAddress(String orderId, Optional<Map<String, String>> read, Map<String, String> changed,
                                         int change, Instant at, String by, AdminAction line) {
        Map<String, String> names = new HashMap<>(Map.of("#status", "status", "#shipping", "shipping",
                "#country", "country", "#kept", DynamoDeferredErasure.MARKER, "#changes", "shippingChanges"));
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":paid", s(OrderStatus.PAID.name()));
        Map<String, AttributeValue> shipping = new LinkedHashMap<>();
        changed.forEach((part, value) -> shipping.put(part, s(value)));
        values.put(":shipping", AttributeValue.fromM(shipping));
        values.put(":country", s(changed.get("country")));
        values.put(":change", n(change));
        values.put(":at", s(at.toString()));
        values.put(":by", s(by));
        List<String> condition = new ArrayList<>(List.of("attribute_exists(pk)", "#status = :paid",
                "attribute_not_exists(fulfilledAt)", "attribute_not_exists(erasedAt)", "attribute_not_exists(#kept)"));
        if (change > 1) {
            condition.add("#changes = :readChanges");
            values.put(":readChanges", n(change - 1));
        } else {
            condition.add("attribute_not_exists(#changes)");
        }
        if (read.isEmpty()) {
            condition.add("attribute_not_exists(#shipping)");
        } else {
            for (int i = 0; i < SHIPPING_PARTS.size(); i++) {
                String part = SHIPPING_PARTS.get(i);
                names.put("#p" + i, part);
                String value = read.get().get(part);
                if (value == null) {
                    condition.add("attribute_not_exists(#shipping.#p" + i + ")");
                } else {
                    condition.add("#shipping.#p" + i + " = :read" + i);
                    values.put(":read" + i, s(value));
                }
            }
        }
        return changeWithLine("order.shipping_address_changed " + orderId, List.of(
                TransactWriteItem.builder().update(Update.builder().tableName(table).key(key("ORDER#" + orderId))
                        .updateExpression("SET #shipping = :shipping, #country = :country, #changes = :change,"
                                + " shippingChangedAt = :at, shippingChangedBy = :by, updatedAt = :at")
                        .conditionExpression(String.join(" AND ", condition))
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .build()).build(),
                trail.line(line)));
    }

    /**
     * One {@code TransactWriteItems}: the order's {@code customerEmail} and {@code emailHash} replaced (the index entry
     * moves with the hash, so the old address's searches and requests no longer list it) and the correction counted
     * (conditional on PAID, SHIPPED or REFUNDED, no erasure, the address as read and the count as read: a count never
     * written is 0), and the line.
     */
    @Override
    public boolean changeCustomerEmail(String orderId, Optional<String> read, EmailAddress to, int change, Instant at,
                                       String by, AdminAction line) {
        return changeEmail(orderId, read, to.value(), OrderIndexes.emailHash(hasher, to.value()), change, at, by, line);
    }

    private boolean changeEmail(String orderId, Optional<String> read, String to, String hash, int change, Instant at,
                                String by, AdminAction line) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":paid", s(OrderStatus.PAID.name()));
        values.put(":shipped", s(OrderStatus.SHIPPED.name()));
        values.put(":refunded", s(OrderStatus.REFUNDED.name()));
        values.put(":to", s(to));
        values.put(":hash", s(hash));
        values.put(":change", n(change));
        values.put(":at", s(at.toString()));
        values.put(":by", s(by));
        List<String> condition = new ArrayList<>(List.of("attribute_exists(pk)", "#status IN (:paid, :shipped, :refunded)",
                "attribute_not_exists(erasedAt)", "attribute_not_exists(#kept)"));
        if (change > 1) {
            condition.add("#changes = :readChanges");
            values.put(":readChanges", n(change - 1));
        } else {
            condition.add("attribute_not_exists(#changes)");
        }
        if (read.isPresent()) {
            condition.add("customerEmail = :read");
            values.put(":read", s(read.get()));
        } else {
            condition.add("attribute_not_exists(customerEmail)");
        }
        return changeWithLine("order.email_changed " + orderId, List.of(
                TransactWriteItem.builder().update(Update.builder().tableName(table).key(key("ORDER#" + orderId))
                        .updateExpression("SET customerEmail = :to, #hash = :hash, #changes = :change,"
                                + " emailChangedAt = :at, emailChangedBy = :by, updatedAt = :at")
                        .conditionExpression(String.join(" AND ", condition))
                        .expressionAttributeNames(Map.of("#status", "status", "#hash", OrderIndexes.EMAIL_HASH,
                                "#kept", DynamoDeferredErasure.MARKER, "#changes", "emailChanges"))
                        .expressionAttributeValues(values)
                        .build()).build(),
                trail.line(line)));
    }

    /**
     * One {@code TransactWriteItems}: the order's move (conditional on NEEDS_ATTENTION, and on naming
     * no reservation when it takes pieces), one conditional decrement per SKU on the products table
     * as a checkout's hold takes stock ({@code stock >= quantity}, and on sale unless
     * {@code takeArchived}; a refused one answers the product as it stood, to tell an archived piece
     * from one gone), the day's count as the paid
     * order's transaction writes it ({@link DynamoOrderCounter#countItem}) and the line. When only
     * the count's condition fails, the order was counted when it was paid (a session sold to its own
     * reservation, or paid after its stock went back): written again without it.
     */
    @Override
    public Acceptance accept(String orderId, Map<String, Integer> pieces, boolean takeArchived, LocalDate createdOn,
                             Instant at, AdminAction line) {
        List<String> skus = List.copyOf(pieces.keySet());
        boolean count = true;
        while (true) {
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":attention", s(OrderStatus.NEEDS_ATTENTION.name()));
            values.put(":paid", s(OrderStatus.PAID.name()));
            values.put(":at", s(at.toString()));
            String update = "SET #status = :paid, paidAt = if_not_exists(paidAt, :at), acceptedAt = :at, updatedAt = :at";
            String condition = "attribute_exists(pk) AND #status = :attention";
            if (!skus.isEmpty()) {
                update += " ADD done :taken";
                condition += " AND attribute_not_exists(reservationId)";
                values.put(":taken", AttributeValue.fromSs(List.of(OrderStep.STOCK_TAKEN.name())));
            }
            List<TransactWriteItem> items = new ArrayList<>();
            items.add(TransactWriteItem.builder().update(Update.builder().tableName(table).key(key("ORDER#" + orderId))
                    .updateExpression(update).conditionExpression(condition)
                    .expressionAttributeNames(Map.of("#status", "status")).expressionAttributeValues(values)
                    .build()).build());
            for (String sku : skus) {
                Map<String, AttributeValue> taken = new HashMap<>(Map.of(":q", n(pieces.get(sku))));
                String onSale = "";
                if (!takeArchived) {
                    onSale = " AND active = :on";
                    taken.put(":on", AttributeValue.fromBool(true));
                }
                items.add(TransactWriteItem.builder().update(Update.builder().tableName(productsTable)
                        .key(Map.of("sku", s(sku)))
                        .updateExpression("SET stock = stock - :q")
                        .conditionExpression("attribute_exists(sku) AND stock >= :q" + onSale)
                        .expressionAttributeValues(taken)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                        .build()).build());
            }
            int countAt = count ? items.size() : -1;
            if (count) {
                items.add(counter.countItem(createdOn, orderId));
            }
            items.add(trail.line(line));
            Map<Integer, Map<String, AttributeValue>> refused =
                    DynamoTransactions.writeOrRefusals(dynamo, "order.accepted " + orderId, items);
            List<Integer> failed = List.copyOf(refused.keySet());
            if (failed.isEmpty()) {
                return Acceptance.accepted();
            }
            if (failed.contains(0)) {
                return Acceptance.notNeedingAttention();
            }
            if (failed.get(0) <= skus.size()) {
                String sku = skus.get(failed.get(0) - 1);
                Map<String, AttributeValue> product = refused.get(failed.get(0));
                AttributeValue stock = product.get("stock");
                boolean there = stock != null && stock.n() != null && Long.parseLong(stock.n()) >= pieces.get(sku);
                return there ? Acceptance.pieceArchived(sku) : Acceptance.pieceGone(sku);
            }
            if (!failed.contains(countAt)) {
                throw new IllegalStateException("The trail refused a new line");
            }
            count = false;
        }
    }

    /**
     * The order's conditional change and its line, one transaction: true when written, false when
     * the order's condition refused it (nothing written); the line refused is a bug, not a state.
     */
    private boolean changeWithLine(String what, List<TransactWriteItem> orderChangeThenLine) {
        List<Integer> failed = DynamoTransactions.write(dynamo, what, orderChangeThenLine);
        if (failed.isEmpty()) {
            return true;
        }
        if (failed.contains(0)) {
            return false;
        }
        throw new IllegalStateException("The trail refused a new line");
    }

    @Override
    public void markPaidMessageQueued(String orderId) {
        dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(key("ORDER#" + orderId))
                .updateExpression("ADD done :step")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":step", AttributeValue.fromSs(List.of(OrderStep.PAID_EFFECTS.name()))))
                .build());
    }

    @Override
    public boolean finishDeferredErasure(String orderId) {
        return DynamoDeferredErasure.finish(dynamo, table, orderId).isPresent();
    }

    /**
     * For SnapStart, reads and a write that change nothing: the mails of an order never placed,
     * the search by email's Query on a hash no order has and the batch read of that order (the
     * address hash key is not read: it stays out of the snapshot; the search by number is primed
     * through its route), the export's month query
     * over a second of 1970, and the shipment's, its correction's, the address change's, the email correction's (with a
     * made-up hash) and the acceptance's transactions on that order,
     * each refused as a whole by the order's condition.
     */
    void prime() {
        String never = "cs_priming_never_ordered";
        mails(never);
        Map<String, String> beforeEveryOrder = Map.of("pk", "ORDER#" + never,
                OrderIndexes.LISTED_AT, OrderIndexes.listedAt(Instant.EPOCH, never));
        byEmailHash("priming-no-such-hash", email -> false, 1, Optional.of(beforeEveryOrder));
        read(List.of("ORDER#" + never));
        createdBetween(Instant.EPOCH, Instant.EPOCH.plusSeconds(1), order -> { });
        AdminAction line = new AdminAction("PRIMING#never-recorded", Instant.EPOCH, "snapstart-priming", null,
                "priming", null, null, 0);
        Shipment priming = new Shipment("Priming", "PRIMING", "https://priming.invalid/", Instant.EPOCH, "snapstart-priming");
        markShipped(never, priming, line);
        correctShipment(never, priming, priming.correctedTo(priming), Instant.EPOCH, "snapstart-priming", line);
        changeShippingAddress(never, Optional.of(Map.of("line1", "Priming", "city", "Priming", "country", "ZZ")),
                Map.of("name", "Priming", "line1", "Priming", "city", "Priming", "country", "ZZ"), 1, Instant.EPOCH,
                "snapstart-priming", line);
        changeEmail(never, Optional.of("priming@priming.invalid"), "priming@priming.invalid", "priming-no-such-hash", 1,
                Instant.EPOCH, "snapstart-priming", line);
        accept(never, Map.of("PRIMING-NEVER-SOLD", 1), false, LocalDate.EPOCH, Instant.EPOCH, line);
    }

    @Override
    public void createdBetween(Instant from, Instant to, Consumer<Map<String, Object>> order) {
        YearMonth last = YearMonth.from(to.minusNanos(1).atZone(java.time.ZoneOffset.UTC));
        for (YearMonth month = YearMonth.from(from.atZone(java.time.ZoneOffset.UTC)); !month.isAfter(last);
             month = month.plusMonths(1)) {
            Map<String, AttributeValue> next = null;
            do {
                // "#" sorts before every id character, so [from, to) of createdAt is [from, to) of listedAt.
                QueryResponse page = dynamo.query(withStart(QueryRequest.builder().tableName(table)
                        .indexName(OrderIndexes.BY_MONTH)
                        .keyConditionExpression("#month = :month AND #listed BETWEEN :from AND :to")
                        .expressionAttributeNames(Map.of("#month", OrderIndexes.CREATED_MONTH,
                                "#listed", OrderIndexes.LISTED_AT))
                        .expressionAttributeValues(Map.of(":month", s(month.toString()),
                                ":from", s(OrderIndexes.listedAt(from)), ":to", s(OrderIndexes.listedAt(to))))
                        .scanIndexForward(true), next).build());
                for (var item : page.items()) {
                    if (live(item) && item.get(OrderIndexes.LISTED_AT).s().compareTo(OrderIndexes.listedAt(to)) < 0) {
                        order.accept(plain(item));
                    }
                }
                next = lastKey(page);
            } while (next != null);
        }
    }

    private QueryResponse query(QueryRequest.Builder query, Map<String, AttributeValue> start) {
        try {
            return dynamo.query(withStart(query, start).build());
        } catch (DynamoDbException e) {
            if (start != null && "ValidationException".equals(e.awsErrorDetails() == null ? null
                    : e.awsErrorDetails().errorCode())) {
                // A well-formed position this index does not accept: the token was not ours.
                throw PageToken.invalid();
            }
            throw e;
        }
    }

    private static QueryRequest.Builder withStart(QueryRequest.Builder query, Map<String, AttributeValue> start) {
        return start == null ? query : query.exclusiveStartKey(start);
    }

    private boolean live(Map<String, AttributeValue> item) {
        return !DynamoItems.expired(item, clock.instant());
    }

    private static Map<String, AttributeValue> lastKey(QueryResponse page) {
        return page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    }

    /** A position is exactly the index's key attributes, each in the shape this table writes. */
    private static void checkKey(Map<String, String> key, Set<String> attributes) {
        if (!key.keySet().equals(attributes) || !ORDER_PK.matcher(key.get("pk")).matches()
                || !LISTED_AT.matcher(key.get(OrderIndexes.LISTED_AT)).matches()
                || !key.get(OrderIndexes.LISTED_AT).endsWith("#" + key.get("pk").substring("ORDER#".length()))) {
            throw PageToken.invalid();
        }
        if (key.containsKey(OrderIndexes.CREATED_MONTH) && !MONTH.matcher(key.get(OrderIndexes.CREATED_MONTH)).matches()) {
            throw PageToken.invalid();
        }
        if (key.containsKey(OrderIndexes.CREATED_MONTH)
                && !key.get(OrderIndexes.LISTED_AT).startsWith(key.get(OrderIndexes.CREATED_MONTH) + "-")) {
            throw PageToken.invalid();
        }
    }

    private static Map<String, AttributeValue> attributes(Map<String, String> key) {
        Map<String, AttributeValue> attributes = new HashMap<>();
        key.forEach((name, value) -> attributes.put(name, s(value)));
        return attributes;
    }

    private static Map<String, String> strings(Map<String, AttributeValue> key) {
        Map<String, String> strings = new LinkedHashMap<>();
        key.forEach((name, value) -> strings.put(name, value.s()));
        return strings;
    }

    private static OrderSummary summary(Map<String, AttributeValue> item) {
        return new OrderSummary(item.get("pk").s().substring("ORDER#".length()), text(item, "orderNumber"),
                text(item, "status"), text(item, "createdAt"), text(item, "customerName"), number(item, "amountTotal"),
                number(item, "amountRefunded"), text(item, "currency"), text(item, "country"), text(item, "fulfilledAt"));
    }

    /** A line of the open disputes: the list's columns and the dispute the index holds with them. */
    private static OrderSummary disputed(Map<String, AttributeValue> item) {
        OrderSummary order = summary(item);
        Map<String, AttributeValue> dispute = item.containsKey("dispute") && item.get("dispute").hasM()
                ? item.get("dispute").m() : Map.of();
        return new OrderSummary(order.id(), order.number(), order.status(), order.createdAt(), order.customerName(),
                order.total(), order.refunded(), order.currency(), order.country(), order.fulfilledAt(),
                new OrderSummary.Dispute(text(dispute, "status"), text(dispute, "reason"), number(dispute, "amount"),
                        text(dispute, "currency"), text(dispute, "evidenceDueBy")));
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }

    /** An item as plain values: strings, whole numbers as longs (others as decimals), booleans, lists, maps. */
    static Map<String, Object> plain(Map<String, AttributeValue> item) {
        Map<String, Object> values = new LinkedHashMap<>();
        item.forEach((name, value) -> values.put(name, plain(value)));
        return values;
    }

    private static Object plain(AttributeValue value) {
        if (value.s() != null) {
            return value.s();
        }
        if (value.n() != null) {
            BigDecimal number = new BigDecimal(value.n());
            return number.scale() <= 0 || number.stripTrailingZeros().scale() <= 0 ? (Object) number.longValueExact() : number;
        }
        if (value.bool() != null) {
            return value.bool();
        }
        if (value.hasM()) {
            return plain(value.m());
        }
        if (value.hasL()) {
            return value.l().stream().map(DynamoOrderBook::plain).toList();
        }
        if (value.hasSs()) {
            return value.ss();
        }
        if (value.hasNs()) {
            return value.ns();
        }
        return null;
    }
}
