package shop.commerce.catalog;

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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The products table (template.yaml's ProductsTable), one item per SKU, keyed by {@code sku}:
 * name, description, priceAmount, currency, stock (pieces for sale now: pieces held for open
 * checkouts are already taken out), {@code held} (pieces in open checkouts: a hold moves them
 * from {@code stock} to {@code held}, a release moves them back, a sale takes them from
 * {@code held}; absent on an item no hold has touched since it was kept, read as 0), images,
 * active, taxCode, oneOfAKind, updatedAt, and {@code version}, which every change of the
 * product's details increments (the back office's edits are conditional on it). Stock moves do
 * not change the version. {@code stockRequest}: the Idempotency-Key of the back office's last
 * stock change sent with one (admin-catalog's DynamoProductAdminStore writes and reads it). For a one-of-a-kind piece {@code stock + held} is at most 1: every
 * write that raises {@code stock} is conditional on it (the catalog import's overwrite, on the
 * {@code held} it computed the stock from).
 */
public final class DynamoProductStore implements ProductStore {
    /** Reads and conditional writes of one product's counted stock before its import gives up on it. */
    static final int COUNT_TRIES = 5;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoProductStore(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public List<Product> all() {
        // A shop's catalog is tens or hundreds of items: one paginated scan is cheaper than an index.
        List<Product> products = new ArrayList<>();
        for (var page : dynamo.scanPaginator(ScanRequest.builder().tableName(table).consistentRead(true).build())) {
            page.items().forEach(item -> products.add(fromItem(item)));
        }
        products.sort(Comparator.comparing(Product::sku));
        return products;
    }

    @Override
    public Optional<Product> find(String sku) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(sku)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public Optional<StockCount> save(Product product, boolean overwriteStock) {
        if (!overwriteStock) {
            write(product, product.stock(), null);
            return Optional.empty();
        }
        for (int i = 0; i < COUNT_TRIES; i++) {
            var item = dynamo.getItem(b -> b.tableName(table).key(key(product.sku())).consistentRead(true)).item();
            int held = item == null ? 0 : held(item);
            StockCount count = StockCount.of(product, held);
            try {
                write(product, count.forSale(), held);
                return Optional.of(count);
            } catch (ConditionalCheckFailedException heldMoved) {
                // A checkout held or let go of pieces since the read: what is for sale is counted again.
            }
        }
        throw new HeldKeptMovingException(product.sku(), COUNT_TRIES);
    }

    /**
     * Writes the product's details, and {@code stock} if {@code heldAsRead} is still what the
     * item's {@code held} counts (absent counts 0); with {@code heldAsRead} null, {@code stock}
     * only for a new product, on no condition.
     */
    private void write(Product product, int stock, Integer heldAsRead) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":name", s(product.name()));
        values.put(":description", s(product.description()));
        values.put(":amount", n(product.price().amount()));
        values.put(":currency", s(product.price().currency()));
        values.put(":stock", n(stock));
        values.put(":images", AttributeValue.fromL(product.images().stream().map(AttributeValue::fromS).toList()));
        values.put(":active", AttributeValue.fromBool(product.active()));
        values.put(":now", s(clock.instant().toString()));
        values.put(":oneOfAKind", AttributeValue.fromBool(product.oneOfAKind()));
        values.put(":zero", n(0));
        values.put(":one", n(1));
        String taxCode = product.taxCode() == null ? " REMOVE taxCode" : "";
        if (product.taxCode() != null) {
            values.put(":taxCode", s(product.taxCode()));
        }
        String condition = null;
        if (heldAsRead != null) {
            values.put(":held", n(heldAsRead));
            condition = (heldAsRead == 0 ? "attribute_not_exists(held) OR " : "") + "held = :held";
        }
        dynamo.updateItem(UpdateItemRequest.builder()
                .tableName(table)
                .key(key(product.sku()))
                .updateExpression("SET #name = :name, description = :description, priceAmount = :amount,"
                        + " currency = :currency, images = :images, active = :active, updatedAt = :now,"
                        + " oneOfAKind = :oneOfAKind, version = if_not_exists(version, :zero) + :one,"
                        + (product.taxCode() == null ? "" : " taxCode = :taxCode,")
                        + " stock = " + (heldAsRead == null ? "if_not_exists(stock, :stock)" : ":stock") + taxCode)
                .conditionExpression(condition)
                .expressionAttributeNames(Map.of("#name", "name"))
                .expressionAttributeValues(values)
                .build());
    }

    public static Map<String, AttributeValue> key(String sku) {
        return Map.of("sku", s(sku));
    }

    /** An item's version; 0 for one written before versions existed. */
    public static long version(Map<String, AttributeValue> item) {
        AttributeValue version = item.get("version");
        return version == null || version.n() == null ? 0 : Long.parseLong(version.n());
    }

    /** The pieces an item's open checkouts hold ({@code held}); 0 for an item written before it was kept. */
    public static int held(Map<String, AttributeValue> item) {
        AttributeValue held = item.get("held");
        return held == null || held.n() == null ? 0 : Integer.parseInt(held.n());
    }

    /** A product item as a {@link Product}. */
    public static Product fromItem(Map<String, AttributeValue> item) {
        List<String> images = item.containsKey("images")
                ? item.get("images").l().stream().map(AttributeValue::s).toList() : List.of();
        return new Product(
                item.get("sku").s(),
                item.get("name").s(),
                item.containsKey("description") ? item.get("description").s() : "",
                Money.of(Long.parseLong(item.get("priceAmount").n()), item.get("currency").s()),
                Integer.parseInt(item.get("stock").n()),
                images,
                Boolean.TRUE.equals(item.get("active").bool()),
                item.containsKey("taxCode") ? item.get("taxCode").s() : null,
                item.containsKey("oneOfAKind") && Boolean.TRUE.equals(item.get("oneOfAKind").bool()));
    }
}
