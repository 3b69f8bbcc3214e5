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
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** The products table (template.yaml's ProductsTable), one item per SKU, keyed by {@code sku}. */
public final class DynamoProductStore implements ProductStore {
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
            page.items().forEach(item -> products.add(product(item)));
        }
        products.sort(Comparator.comparing(Product::sku));
        return products;
    }

    @Override
    public Optional<Product> find(String sku) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(sku)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(product(item));
    }

    @Override
    public void save(Product product, boolean overwriteStock) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":name", s(product.name()));
        values.put(":description", s(product.description()));
        values.put(":amount", n(product.price().amount()));
        values.put(":currency", s(product.price().currency()));
        values.put(":stock", n(product.stock()));
        values.put(":images", AttributeValue.fromL(product.images().stream().map(AttributeValue::fromS).toList()));
        values.put(":active", AttributeValue.fromBool(product.active()));
        values.put(":now", s(clock.instant().toString()));
        dynamo.updateItem(UpdateItemRequest.builder()
                .tableName(table)
                .key(key(product.sku()))
                .updateExpression("SET #name = :name, description = :description, priceAmount = :amount,"
                        + " currency = :currency, images = :images, active = :active, updatedAt = :now, stock = "
                        + (overwriteStock ? ":stock" : "if_not_exists(stock, :stock)"))
                .expressionAttributeNames(Map.of("#name", "name"))
                .expressionAttributeValues(values)
                .build());
    }

    private static Map<String, AttributeValue> key(String sku) {
        return Map.of("sku", s(sku));
    }

    private static Product product(Map<String, AttributeValue> item) {
        List<String> images = item.containsKey("images")
                ? item.get("images").l().stream().map(AttributeValue::s).toList() : List.of();
        return new Product(
                item.get("sku").s(),
                item.get("name").s(),
                item.containsKey("description") ? item.get("description").s() : "",
                Money.of(Long.parseLong(item.get("priceAmount").n()), item.get("currency").s()),
                Integer.parseInt(item.get("stock").n()),
                images,
                Boolean.TRUE.equals(item.get("active").bool()));
    }
}
