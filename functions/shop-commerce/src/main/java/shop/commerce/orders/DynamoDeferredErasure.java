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
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
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

    /** Every part of a shipping address but the country, as DynamoOrderStore and a correction write them. */
    private static final List<String> PARTS = List.of("name", "line1", "line2", "postalCode", "city", "state");

    /**
     * Finishes the erasure of {@code orderId} if one waits for it and the order has shipped or is
     * refunded in full. Returns the order's item as written, or empty when there was nothing to
     * finish. No read: the conditional write itself finds out (refused, it answers the order as it
     * is, and an order without a shipping address is finished by a second write without it).
     */
    public static Optional<Map<String, AttributeValue>> finish(DynamoDbClient dynamo, String table, String orderId) {
        Map<String, String> names = new HashMap<>(Map.of("#marker", MARKER, "#status", "status"));
        List<String> remove = new ArrayList<>(List.of("customerName", "#marker"));
        for (String part : PARTS) {
            String placeholder = "#p" + names.size();
            names.put(placeholder, part);
            remove.add("shipping." + placeholder);
        }
        String done = "attribute_exists(#marker) AND (#status <> :paid OR attribute_exists(fulfilledAt))";
        try {
            return Optional.of(write(dynamo, table, orderId, "REMOVE " + String.join(", ", remove),
                    done + " AND attribute_exists(shipping)", names));
        } catch (ConditionalCheckFailedException refused) {
            var item = refused.hasItem() ? refused.item() : null;
            if (item == null || !item.containsKey(MARKER) || item.containsKey("shipping")) {
                // Still paid and to ship, finished by another call, or never erased: nothing to do now.
                return Optional.empty();
            }
        }
        try {
            return Optional.of(write(dynamo, table, orderId, "REMOVE customerName, #marker",
                    done + " AND attribute_not_exists(shipping)", Map.of("#marker", MARKER, "#status", "status")));
        } catch (ConditionalCheckFailedException stillToShip) {
            return Optional.empty();
        }
    }

    private static Map<String, AttributeValue> write(DynamoDbClient dynamo, String table, String orderId, String update,
                                                     String condition, Map<String, String> names) {
        return dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(key("ORDER#" + orderId))
                .updateExpression(update)
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(Map.of(":paid", s(OrderStatus.PAID.name())))
                .returnValues(ReturnValue.ALL_NEW)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build()).attributes();
    }
}
