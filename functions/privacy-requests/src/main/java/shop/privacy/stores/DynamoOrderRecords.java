package shop.privacy.stores;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import shop.core.dynamo.DynamoItems;
import shop.core.email.EmailAddress;
import shop.privacy.Correction;
import shop.privacy.OrderData;
import shop.privacy.OrderRecords;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The orders and checkouts tables (template.yaml's OrdersTable and CheckoutsTable) in the layout
 * of shop-commerce's DynamoOrderStore: {@code ORDER#<Checkout Session id>} with customerName,
 * customerEmail, shipping and billing maps (name, line1, line2, postalCode, city, state,
 * country), amounts and dates; {@code MAIL#<order id>#<kind>} mail records; and
 * {@code RESERVATION#<id>} in the checkouts table. The orders table has no index by email,
 * so a person's orders are found with one scan: fine for a small shop's order book, and the
 * only way to match every spelling of an address.
 */
public final class DynamoOrderRecords implements OrderRecords {
    /** Top-level order attributes that identify the customer. */
    static final List<String> PERSONAL_ATTRIBUTES = List.of("customerName", "customerEmail", "customerPhone", "phone");
    /** Address maps whose every part but the country is personal. */
    static final List<String> ADDRESS_ATTRIBUTES = List.of("shipping", "billing");
    /** The statuses of an order that has not shipped: it is unpaid yet, or paid and not fulfilled. */
    private static final List<String> UNSHIPPED = List.of("PENDING_PAYMENT", "PAID");

    private final DynamoDbClient dynamo;
    private final String ordersTable;
    private final String checkoutsTable;
    private final Clock clock;

    public DynamoOrderRecords(DynamoDbClient dynamo, String ordersTable, String checkoutsTable, Clock clock) {
        this.dynamo = dynamo;
        this.ordersTable = ordersTable;
        this.checkoutsTable = checkoutsTable;
        this.clock = clock;
    }

    @Override
    public OrderData find(EmailAddress address) {
        List<Map<String, AttributeValue>> orders = new ArrayList<>();
        List<Map<String, AttributeValue>> mails = new ArrayList<>();
        scanOrdersAndMails(address, orders, mails);
        Set<String> ids = new LinkedHashSet<>();
        Set<String> spellings = new LinkedHashSet<>();
        Set<String> customers = new LinkedHashSet<>();
        List<Map<String, Object>> checkouts = new ArrayList<>();
        for (var order : orders) {
            ids.add(orderId(order));
            spellings.add(order.get("customerEmail").s());
            for (String attribute : List.of("stripeCustomerId", "customerId")) {
                DynamoItems.string(order, attribute).ifPresent(customers::add);
            }
            DynamoItems.string(order, "reservationId").ifPresent(reservation -> {
                var item = dynamo.getItem(b -> b.tableName(checkoutsTable).key(key("RESERVATION#" + reservation))
                        .consistentRead(true)).item();
                DynamoItems.live(item, clock.instant()).ifPresent(found -> checkouts.add(DynamoValues.item(found)));
            });
        }
        List<Map<String, AttributeValue>> theirMails = mails.stream()
                .filter(mail -> ids.stream().anyMatch(id -> mail.get("pk").s().startsWith("MAIL#" + id + "#")))
                .toList();
        return new OrderData(DynamoValues.items(orders), DynamoValues.items(theirMails), checkouts, spellings, customers);
    }

    @Override
    public List<String> anonymise(EmailAddress address, Instant at) {
        List<Map<String, AttributeValue>> orders = new ArrayList<>();
        scanOrdersAndMails(address, orders, new ArrayList<>());
        List<String> changed = new ArrayList<>();
        for (var order : orders) {
            Map<String, String> names = new HashMap<>();
            List<String> remove = new ArrayList<>();
            for (var attribute : order.entrySet()) {
                String name = attribute.getKey();
                String text = attribute.getValue().s();
                // The known personal fields, and any other top-level text that is the address (a receipt email, say).
                if (PERSONAL_ATTRIBUTES.contains(name) || text != null && matches(text, address)) {
                    remove.add(placeholder(names, name));
                }
            }
            for (String map : ADDRESS_ATTRIBUTES) {
                AttributeValue value = order.get(map);
                if (value == null || value.m() == null) {
                    continue;
                }
                for (String part : value.m().keySet()) {
                    if (!part.equals("country")) {
                        remove.add(placeholder(names, map) + "." + placeholder(names, part));
                    }
                }
            }
            String email = placeholder(names, "customerEmail");
            try {
                dynamo.updateItem(UpdateItemRequest.builder().tableName(ordersTable).key(key(order.get("pk").s()))
                        .updateExpression("SET erasedAt = :at" + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove)))
                        // Only if the order still carries the address we found: never erase someone else's.
                        .conditionExpression(email + " = :seen")
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(Map.of(":at", s(at.toString()), ":seen", order.get("customerEmail")))
                        .build());
                changed.add(orderId(order));
            } catch (ConditionalCheckFailedException changedMeanwhile) {
                // Another erasure got there first.
            }
        }
        return changed;
    }

    @Override
    public List<String> correct(EmailAddress address, Correction correction, Instant at) {
        List<Map<String, AttributeValue>> orders = new ArrayList<>();
        scanOrdersAndMails(address, orders, new ArrayList<>());
        List<String> corrected = new ArrayList<>();
        for (var order : orders) {
            List<String> set = new ArrayList<>(List.of("correctedAt = :at"));
            Map<String, String> names = new HashMap<>(Map.of("#status", "status"));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":at", s(at.toString()),
                    ":pending", s(UNSHIPPED.get(0)), ":paid", s(UNSHIPPED.get(1))));
            correction.name().ifPresent(name -> {
                set.add("customerName = :name");
                values.put(":name", s(name));
            });
            var oldShipping = order.get("shipping");
            if (correction.shippingAddress().isPresent()) {
                Map<String, AttributeValue> shipping = new LinkedHashMap<>();
                String name = correction.name().orElse(oldShipping != null && oldShipping.m() != null
                        ? DynamoItems.string(oldShipping.m(), "name").orElse(null) : null);
                if (name != null) {
                    shipping.put("name", s(name));
                }
                correction.shippingAddress().get().fields().forEach((part, value) -> shipping.put(part, s(value)));
                set.add("shipping = :shipping");
                set.add("#country = :country");
                names.put("#country", "country");
                values.put(":shipping", AttributeValue.fromM(shipping));
                values.put(":country", s(correction.shippingAddress().get().country()));
            } else if (correction.name().isPresent() && oldShipping != null && oldShipping.m() != null) {
                set.add("shipping.#name = :name");
                names.put("#name", "name");
            }
            try {
                dynamo.updateItem(UpdateItemRequest.builder().tableName(ordersTable).key(key(order.get("pk").s()))
                        .updateExpression("SET " + String.join(", ", set))
                        .conditionExpression("#status IN (:pending, :paid) AND attribute_not_exists(fulfilledAt)")
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .build());
                corrected.add(orderId(order));
            } catch (ConditionalCheckFailedException shippedOrFailed) {
                // Shipped, refunded or failed orders keep what they were sent with.
            }
        }
        return corrected;
    }

    /** One pass over the orders table: the person's live orders, and every mail record. */
    private void scanOrdersAndMails(EmailAddress address, List<Map<String, AttributeValue>> orders,
                                    List<Map<String, AttributeValue>> mails) {
        Instant now = clock.instant();
        var scan = ScanRequest.builder().tableName(ordersTable)
                .filterExpression("begins_with(pk, :order) OR begins_with(pk, :mail)")
                .expressionAttributeValues(Map.of(":order", s("ORDER#"), ":mail", s("MAIL#")))
                .consistentRead(true).build();
        for (var page : dynamo.scanPaginator(scan)) {
            for (var item : page.items()) {
                if (DynamoItems.expired(item, now)) {
                    continue;
                }
                String pk = item.get("pk").s();
                if (pk.startsWith("MAIL#")) {
                    mails.add(item);
                } else if (DynamoItems.string(item, "customerEmail").filter(email -> matches(email, address)).isPresent()) {
                    orders.add(item);
                }
            }
        }
    }

    /** A {@code #n} placeholder for an attribute name, reused when the name recurs. */
    private static String placeholder(Map<String, String> names, String name) {
        for (var entry : names.entrySet()) {
            if (entry.getValue().equals(name)) {
                return entry.getKey();
            }
        }
        String placeholder = "#n" + names.size();
        names.put(placeholder, name);
        return placeholder;
    }

    private static boolean matches(String stored, EmailAddress address) {
        return stored.strip().toLowerCase(Locale.ROOT).equals(address.value());
    }

    private static String orderId(Map<String, AttributeValue> order) {
        return order.get("pk").s().substring("ORDER#".length());
    }
}
