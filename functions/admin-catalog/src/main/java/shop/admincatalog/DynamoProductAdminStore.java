package shop.admincatalog;

import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import shop.commerce.Money;
import shop.commerce.catalog.DynamoProductStore;
import shop.commerce.catalog.Product;
import shop.core.admin.AdminAction;
import shop.core.dynamo.DynamoAuditTrail;
import shop.core.dynamo.DynamoTransactions;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * {@link ProductAdminStore} on the products table, in the item shape of {@link DynamoProductStore}.
 * Each change is one {@code TransactWriteItems}: the product's Update, whose condition is the
 * rule (the SKU is new, the version is the one the page read, the product is still off sale or
 * on sale as read, the stock is the one read and stays between zero and its ceiling, a
 * one-of-a-kind piece has at most one for sale or held), and the Put
 * of its line in the audit trail ({@link DynamoAuditTrail#line}).
 */
public final class DynamoProductAdminStore implements ProductAdminStore {
    private static final AttributeValue TRUE = AttributeValue.fromBool(true);
    /** The Idempotency-Key of the product's last stock change made with one. */
    static final String STOCK_REQUEST = "stockRequest";

    private final DynamoDbClient dynamo;
    private final String table;
    private final DynamoAuditTrail trail;
    private final Clock clock;

    public DynamoProductAdminStore(DynamoDbClient dynamo, String table, DynamoAuditTrail trail, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.trail = trail;
        this.clock = clock;
    }

    @Override
    public List<Versioned> all() {
        List<Versioned> all = new ArrayList<>();
        // A shop's catalog is tens or hundreds of items, as in DynamoProductStore.all().
        for (var page : dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true))) {
            page.items().forEach(item -> all.add(versioned(item)));
        }
        all.sort(Comparator.comparing(v -> v.product().sku()));
        return all;
    }

    @Override
    public Optional<Versioned> find(String sku) {
        var item = dynamo.getItem(b -> b.tableName(table).key(DynamoProductStore.key(sku)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(versioned(item));
    }

    /** An edit of a product the catalog does not have, refused by its condition: nothing is written, no line either. */
    void prime(String sku) {
        AdminAction line = new AdminAction("PRODUCT#" + sku, clock.instant(), "priming", null, "product.updated", null,
                "{}", 0);
        if (update(new Product(sku, "Priming", "", Money.of(100, "USD"), 0, List.of(), true, null, true), 1, line)
                .isPresent()) {
            throw new IllegalStateException("A priming edit was not refused");
        }
    }

    @Override
    public boolean create(Product product, AdminAction line) {
        Map<String, AttributeValue> values = details(product);
        values.put(":stock", n(product.stock()));
        values.put(":active", TRUE);
        values.put(":one", n(1));
        return writeWithLine("product.create", Update.builder().tableName(table).key(DynamoProductStore.key(product.sku()))
                .updateExpression(SET_DETAILS + ", stock = :stock, active = :active, version = :one"
                        + (product.taxCode() == null ? "" : ", taxCode = :taxCode"))
                .conditionExpression("attribute_not_exists(sku)")
                .expressionAttributeNames(Map.of("#name", "name"))
                .expressionAttributeValues(values), line);
    }

    @Override
    public Optional<Long> update(Product product, long expectedVersion, AdminAction line) {
        Map<String, AttributeValue> values = details(product);
        if (expectedVersion != 0) {
            values.put(":expected", n(expectedVersion));
        }
        values.put(":one", n(1));
        values.put(":zero", n(0));
        // Marked one of a kind: stock + held at most 1 when written, not only when read (a stock change
        // leaves the version as it is). Conditions cannot add: stock 0 and held 0 or 1, or stock 1 and none held.
        String oneOfAKind = "";
        if (product.oneOfAKind()) {
            values.put(":true", TRUE);
            oneOfAKind = " AND (oneOfAKind = :true OR stock = :zero AND (attribute_not_exists(held) OR held <= :one)"
                    + " OR stock = :one AND (attribute_not_exists(held) OR held = :zero))";
        }
        boolean written = writeWithLine("product.update", Update.builder().tableName(table)
                .key(DynamoProductStore.key(product.sku()))
                .updateExpression(SET_DETAILS + ", version = if_not_exists(version, :zero) + :one"
                        + (product.taxCode() == null ? " REMOVE taxCode" : ", taxCode = :taxCode"))
                // A product written before versions existed is at version 0.
                .conditionExpression((expectedVersion == 0 ? "attribute_exists(sku) AND attribute_not_exists(version)"
                        : "attribute_exists(sku) AND version = :expected") + oneOfAKind)
                .expressionAttributeNames(Map.of("#name", "name"))
                .expressionAttributeValues(values), line);
        // A transaction answers no values: the condition held, so the version is the next one.
        return written ? Optional.of(expectedVersion + 1) : Optional.empty();
    }

    @Override
    public boolean setOnSale(String sku, boolean onSale, AdminAction line) {
        return writeWithLine(onSale ? "product.unarchive" : "product.archive", Update.builder().tableName(table)
                .key(DynamoProductStore.key(sku))
                .updateExpression("SET active = :to, updatedAt = :now, version = if_not_exists(version, :zero) + :one")
                .conditionExpression("attribute_exists(sku) AND active = :from")
                .expressionAttributeValues(Map.of(":to", AttributeValue.fromBool(onSale),
                        ":from", AttributeValue.fromBool(!onSale), ":now", s(clock.instant().toString()),
                        ":zero", n(0), ":one", n(1))), line);
    }

    /**
     * The count for sale moves from what was read by {@code delta}, on the condition that it is
     * still what was read: a checkout taking a piece meanwhile refuses it (the caller reads again),
     * so neither is lost and the line's before and after are the count's own. A one-of-a-kind
     * piece held by an open checkout ({@code held}) cannot get a second piece for sale.
     */
    @Override
    public boolean adjustStock(String sku, int seen, int delta, int max, String request, AdminAction line) {
        Map<String, AttributeValue> values = new HashMap<>();
        if (request != null) {
            values.put(":request", s(request));
        }
        values.put(":seen", n(seen));
        values.put(":delta", n(delta));
        values.put(":atLeast", n(Math.max(0, -delta)));
        values.put(":atMost", n((long) max - delta));
        values.put(":oneAtMost", n(1L - delta));
        values.put(":heldAtMost", n(1L - seen - delta));
        values.put(":true", TRUE);
        values.put(":now", s(clock.instant().toString()));
        // A one-of-a-kind piece: stock + delta + held at most 1. DynamoDB's conditions cannot add; stock
        // is :seen, so held at most 1 - seen - delta (an item without held has none: 0, within it whenever
        // stock <= :oneAtMost holds).
        return writeWithLine("product.stock", Update.builder().tableName(table).key(DynamoProductStore.key(sku))
                .updateExpression("SET updatedAt = :now" + (request == null ? "" : ", " + STOCK_REQUEST + " = :request")
                        + " ADD stock :delta")
                .conditionExpression("attribute_exists(sku) AND stock = :seen AND stock >= :atLeast AND stock <= :atMost"
                        + " AND (attribute_not_exists(oneOfAKind) OR oneOfAKind <> :true OR (stock <= :oneAtMost"
                        + " AND (attribute_not_exists(held) OR held <= :heldAtMost)))")
                .expressionAttributeValues(values), line);
    }

    /**
     * The product's conditional write and its trail line as one transaction: true when both are
     * written, false when the product's condition refused it (and neither is).
     */
    private boolean writeWithLine(String step, Update.Builder product, AdminAction line) {
        List<Integer> refused = DynamoTransactions.write(dynamo, step,
                List.of(TransactWriteItem.builder().update(product.build()).build(), trail.line(line)));
        if (refused.isEmpty()) {
            return true;
        }
        if (refused.equals(List.of(0))) {
            return false;
        }
        throw new IllegalStateException("The trail refused a new line: " + refused);
    }

    private static final String SET_DETAILS = "SET #name = :name, description = :description, priceAmount = :amount,"
            + " currency = :currency, images = :images, oneOfAKind = :oneOfAKind, updatedAt = :now";

    private Map<String, AttributeValue> details(Product product) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":name", s(product.name()));
        values.put(":description", s(product.description()));
        values.put(":amount", n(product.price().amount()));
        values.put(":currency", s(product.price().currency()));
        values.put(":images", AttributeValue.fromL(product.images().stream().map(AttributeValue::fromS).toList()));
        values.put(":oneOfAKind", AttributeValue.fromBool(product.oneOfAKind()));
        values.put(":now", s(clock.instant().toString()));
        if (product.taxCode() != null) {
            values.put(":taxCode", s(product.taxCode()));
        }
        return values;
    }

    private static Versioned versioned(Map<String, AttributeValue> item) {
        AttributeValue request = item.get(STOCK_REQUEST);
        return new Versioned(DynamoProductStore.fromItem(item), DynamoProductStore.version(item),
                DynamoProductStore.held(item), request == null ? null : request.s());
    }
}
