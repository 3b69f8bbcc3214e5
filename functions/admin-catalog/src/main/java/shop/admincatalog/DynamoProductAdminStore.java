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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link ProductAdminStore} on the products table, in the item shape of {@link DynamoProductStore}.
 * Each method is one UpdateItem whose condition is the rule: the SKU is new, the version is the
 * one the page read, the stock stays between zero and its ceiling.
 */
public final class DynamoProductAdminStore implements ProductAdminStore {
    private static final AttributeValue TRUE = AttributeValue.fromBool(true);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoProductAdminStore(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
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

    /** An edit of a product the catalog does not have, refused by its condition: nothing is written. */
    void prime(String sku) {
        if (update(new Product(sku, "Priming", "", Money.of(100, "USD"), 0, List.of(), true, null, true), 1).isPresent()) {
            throw new IllegalStateException("A priming edit was not refused");
        }
    }

    @Override
    public boolean create(Product product) {
        Map<String, AttributeValue> values = details(product);
        values.put(":stock", n(product.stock()));
        values.put(":active", TRUE);
        values.put(":one", n(1));
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(DynamoProductStore.key(product.sku()))
                    .updateExpression(SET_DETAILS + ", stock = :stock, active = :active, version = :one"
                            + (product.taxCode() == null ? "" : ", taxCode = :taxCode"))
                    .conditionExpression("attribute_not_exists(sku)")
                    .expressionAttributeNames(Map.of("#name", "name"))
                    .expressionAttributeValues(values).build());
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        }
    }

    @Override
    public Optional<Long> update(Product product, long expectedVersion) {
        Map<String, AttributeValue> values = details(product);
        if (expectedVersion != 0) {
            values.put(":expected", n(expectedVersion));
        }
        values.put(":one", n(1));
        values.put(":zero", n(0));
        try {
            var updated = dynamo.updateItem(UpdateItemRequest.builder().tableName(table)
                    .key(DynamoProductStore.key(product.sku()))
                    .updateExpression(SET_DETAILS + ", version = if_not_exists(version, :zero) + :one"
                            + (product.taxCode() == null ? " REMOVE taxCode" : ", taxCode = :taxCode"))
                    // A product written before versions existed is at version 0.
                    .conditionExpression(expectedVersion == 0 ? "attribute_exists(sku) AND attribute_not_exists(version)"
                            : "attribute_exists(sku) AND version = :expected")
                    .expressionAttributeNames(Map.of("#name", "name"))
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.UPDATED_NEW).build());
            return Optional.of(Long.parseLong(updated.attributes().get("version").n()));
        } catch (ConditionalCheckFailedException changedOrGone) {
            return Optional.empty();
        }
    }

    @Override
    public boolean archive(String sku) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(DynamoProductStore.key(sku))
                    .updateExpression("SET active = :false, updatedAt = :now, version = if_not_exists(version, :zero) + :one")
                    .conditionExpression("attribute_exists(sku)")
                    .expressionAttributeValues(Map.of(":false", AttributeValue.fromBool(false),
                            ":now", s(clock.instant().toString()), ":zero", n(0), ":one", n(1))).build());
            return true;
        } catch (ConditionalCheckFailedException gone) {
            return false;
        }
    }

    /**
     * The count for sale moves by {@code delta} in one conditional write; a checkout taking a piece
     * at the same moment is another conditional write on the same item, so neither is lost.
     */
    @Override
    public Optional<Integer> adjustStock(String sku, int delta, int max) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":delta", n(delta));
        values.put(":atLeast", n(Math.max(0, -delta)));
        values.put(":atMost", n((long) max - delta));
        values.put(":oneAtMost", n(1L - delta));
        values.put(":true", TRUE);
        values.put(":now", s(clock.instant().toString()));
        try {
            var updated = dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(DynamoProductStore.key(sku))
                    .updateExpression("SET updatedAt = :now ADD stock :delta")
                    .conditionExpression("attribute_exists(sku) AND stock >= :atLeast AND stock <= :atMost"
                            + " AND (attribute_not_exists(oneOfAKind) OR oneOfAKind <> :true OR stock <= :oneAtMost)")
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.UPDATED_NEW).build());
            return Optional.of(Integer.parseInt(updated.attributes().get("stock").n()));
        } catch (ConditionalCheckFailedException refused) {
            return Optional.empty();
        }
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
        return new Versioned(DynamoProductStore.fromItem(item), DynamoProductStore.version(item));
    }
}
