package shop.commerce.orders;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.s;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The second half of an erasure confirmed while a paid order was still to ship. The privacy
 * function then removes everything personal but the name and the shipping address, which the
 * contract still needs (GDPR art. 17(3)(b) with 6(1)(b)), and marks the order with
 * {@link #MARKER}. Once the order has shipped or is refunded in full, this step removes the name,
 * every part of the shipping address but the country, and the marker: one conditional write,
 * made only while the marker is there and the order is no longer paid-to-ship, so running it
 * again, or on an order never erased, changes nothing.
 */
public final class DynamoDeferredErasure {
    /** Set (to when the erasure was carried out) on an order that keeps name and shipping address until it ships. */
    public static final String MARKER = "shippingKeptUntilDone";

    private DynamoDeferredErasure() {
    }

    /**
     * Finishes the erasure of {@code orderId} if one waits for it and the order has shipped or is
     * refunded in full. Returns the order's item as written, or empty when there was nothing to finish.
     */
    public static Optional<Map<String, AttributeValue>> finish(DynamoDbClient dynamo, String table, String orderId) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key("ORDER#" + orderId)).consistentRead(true)).item();
        if (item == null || !item.containsKey(MARKER)) {
            return Optional.empty();
        }
        Map<String, String> names = new HashMap<>(Map.of("#marker", MARKER, "#status", "status"));
        List<String> remove = new ArrayList<>(List.of("customerName", "#marker"));
        AttributeValue shipping = item.get("shipping");
        if (shipping != null && shipping.m() != null) {
            for (String part : shipping.m().keySet()) {
                if (!part.equals("country")) {
                    String placeholder = "#p" + names.size();
                    names.put(placeholder, part);
                    remove.add("shipping." + placeholder);
                }
            }
        }
        try {
            return Optional.of(dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(key("ORDER#" + orderId))
                    .updateExpression("REMOVE " + String.join(", ", remove))
                    .conditionExpression("attribute_exists(#marker) AND (#status <> :paid OR attribute_exists(fulfilledAt))")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(Map.of(":paid", s(OrderStatus.PAID.name())))
                    .returnValues(ReturnValue.ALL_NEW)
                    .build()).attributes());
        } catch (ConditionalCheckFailedException stillToShip) {
            // Still paid and to ship (or finished by another call): the name and address stay for now.
            return Optional.empty();
        }
    }
}
