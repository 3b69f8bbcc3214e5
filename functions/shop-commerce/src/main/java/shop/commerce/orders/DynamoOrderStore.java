package shop.commerce.orders;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;
import static shop.core.dynamo.DynamoItems.text;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import shop.commerce.Money;
import shop.core.dynamo.DynamoItems;
import shop.core.retention.RetentionSchedule;
import shop.core.security.AddressHasher;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** {@link OrderStore} on the orders table: one item {@code ORDER#<Checkout Session id>} per order. */
public final class DynamoOrderStore implements OrderStore {
    private static final String TTL = RetentionSchedule.TTL_ATTRIBUTE;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final AddressHasher hasher;

    /** For functions that read and move orders; {@link #create} needs the address hasher. */
    public DynamoOrderStore(DynamoDbClient dynamo, String table, Clock clock) {
        this(dynamo, table, clock, null);
    }

    /** For the function that records orders: each carries the keyed hash of its customer's address. */
    public DynamoOrderStore(DynamoDbClient dynamo, String table, Clock clock, AddressHasher hasher) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
        this.hasher = hasher;
    }

    @Override
    public Optional<Order> find(String id) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(pk(id))).consistentRead(true)).item();
        return DynamoItems.live(item, clock.instant()).map(DynamoOrderStore::order);
    }

    @Override
    public boolean create(Order order, long expiresAt) {
        Map<String, AttributeValue> item = newItem(order, expiresAt);
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(pk)").build());
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        }
    }

    @Override
    public boolean transition(String id, Set<OrderStatus> from, OrderStatus to, Instant at, long expiresAt) {
        if (to == OrderStatus.NEEDS_ATTENTION) {
            throw new IllegalArgumentException("An order is made NEEDS_ATTENTION with its reason, not moved there");
        }
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> placeholders = new ArrayList<>();
        for (OrderStatus status : from) {
            String placeholder = ":from" + placeholders.size();
            placeholders.add(placeholder);
            values.put(placeholder, s(status.name()));
        }
        values.put(":to", s(to.name()));
        values.put(":at", s(at.toString()));
        values.put(":ttl", n(expiresAt));
        String stamp = switch (to) {
            case PAID -> ", paidAt = if_not_exists(paidAt, :at)";
            case SHIPPED -> ", fulfilledAt = if_not_exists(fulfilledAt, :at)";
            case FAILED -> ", failedAt = if_not_exists(failedAt, :at)";
            case REFUNDED -> ", refundedAt = if_not_exists(refundedAt, :at)";
            case PENDING_PAYMENT, NEEDS_ATTENTION -> "";
        };
        try {
            dynamo.updateItem(UpdateItemRequest.builder()
                    .tableName(table)
                    .key(key(pk(id)))
                    .updateExpression("SET #status = :to, updatedAt = :at, #ttl = :ttl" + stamp)
                    .conditionExpression("#status IN (" + String.join(", ", placeholders) + ")")
                    .expressionAttributeNames(Map.of("#status", "status", "#ttl", TTL))
                    .expressionAttributeValues(values)
                    .build());
            return true;
        } catch (ConditionalCheckFailedException notFromThere) {
            return false;
        }
    }

    /** A new paid order's part of {@link DynamoPaidOrders}' transaction: the whole item (its status as given), if it does not exist yet. */
    TransactWriteItem paidPut(Order order, long expiresAt) {
        Map<String, AttributeValue> item = newItem(order, expiresAt);
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk)").build()).build();
    }

    /**
     * A pending order's part of {@link DynamoPaidOrders}' transaction: PENDING_PAYMENT → {@code paid}'s
     * status (PAID, or NEEDS_ATTENTION without its reservation when the stock was no longer held),
     * noting when it was paid.
     */
    TransactWriteItem paidTransition(Order paid, long expiresAt) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":to", s(paid.status().name()),
                ":at", s(paid.paidAt().toString()), ":ttl", n(expiresAt), ":from", s(OrderStatus.PENDING_PAYMENT.name())));
        // Why it needs the owner goes with the status that says it does, in this one update.
        String why = "";
        if (paid.attentionReason() != null) {
            why = ", attentionReason = :why";
            values.put(":why", s(paid.attentionReason()));
        }
        String unsold = paid.reservationId() == null ? " REMOVE reservationId" : "";
        return TransactWriteItem.builder().update(Update.builder()
                .tableName(table)
                .key(key(pk(paid.id())))
                .updateExpression("SET #status = :to, updatedAt = :at, #ttl = :ttl, paidAt = if_not_exists(paidAt, :at)"
                        + why + unsold)
                .conditionExpression("#status = :from")
                .expressionAttributeNames(Map.of("#status", "status", "#ttl", TTL))
                .expressionAttributeValues(values)
                .build()).build();
    }

    @Override
    public void markDone(String id, OrderStep step) {
        dynamo.updateItem(UpdateItemRequest.builder()
                .tableName(table)
                .key(key(pk(id)))
                .updateExpression("ADD done :step")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":step", AttributeValue.fromSs(List.of(step.name()))))
                .build());
    }

    /** A new order's whole item, with its TTL and the keyed hash of its email for the byEmailHash index. */
    private Map<String, AttributeValue> newItem(Order order, long expiresAt) {
        if (hasher == null) {
            // An order without its email hash would be invisible to its customer's privacy requests.
            throw new IllegalStateException("Orders are created with the address hasher (ADDRESS_HASH_KEY)");
        }
        Map<String, AttributeValue> item = item(order);
        if (order.customerEmail() != null) {
            item.put(OrderIndexes.EMAIL_HASH, s(OrderIndexes.emailHash(hasher, order.customerEmail())));
        }
        item.put(TTL, n(expiresAt));
        return item;
    }

    private static String pk(String id) {
        return "ORDER#" + id;
    }

    static Map<String, AttributeValue> item(Order order) {
        Map<String, AttributeValue> item = new HashMap<>(key(pk(order.id())));
        item.put("orderNumber", s(order.number()));
        item.put("status", s(order.status().name()));
        put(item, "attentionReason", order.attentionReason());
        put(item, "reservationId", order.reservationId());
        put(item, "customerName", order.customerName());
        put(item, "customerEmail", order.customerEmail());
        if (order.shipping() != null) {
            item.put("shipping", address(order.shipping()));
        }
        if (order.billing() != null) {
            item.put("billing", address(order.billing()));
        }
        put(item, "country", order.country());
        item.put("items", AttributeValue.fromL(order.items().stream().map(DynamoOrderStore::orderItem).toList()));
        OrderTotals totals = order.totals();
        item.put("currency", s(totals.currency()));
        item.put("amountSubtotal", n(totals.subtotal().amount()));
        item.put("amountShipping", n(totals.shipping().amount()));
        item.put("amountDiscount", n(totals.discount().amount()));
        item.put("amountTax", n(totals.tax().amount()));
        item.put("amountTotal", n(totals.total().amount()));
        item.put("amountRefunded", n(order.amountRefunded()));
        put(item, "paymentIntentId", order.paymentIntentId());
        item.put("livemode", AttributeValue.fromBool(order.livemode()));
        // No updatedAt until something updates it: at creation it would only repeat createdAt, and the
        // 39 bytes take a typical paid order over 1 KB, which its transaction bills twice over.
        item.put("createdAt", s(order.createdAt().toString()));
        item.put(OrderIndexes.LISTED_AT, s(OrderIndexes.listedAt(order.createdAt(), order.id())));
        item.put(OrderIndexes.CREATED_MONTH, s(OrderIndexes.createdMonth(order.createdAt())));
        if (order.paidAt() != null) {
            item.put("paidAt", s(order.paidAt().toString()));
        }
        if (!order.done().isEmpty()) {
            item.put("done", AttributeValue.fromSs(order.done().stream().map(Enum::name).toList()));
        }
        return item;
    }

    static Order order(Map<String, AttributeValue> item) {
        String currency = item.get("currency").s();
        Set<OrderStep> done = EnumSet.noneOf(OrderStep.class);
        if (item.containsKey("done")) {
            item.get("done").ss().forEach(step -> done.add(OrderStep.valueOf(step)));
        }
        return new Order(
                item.get("pk").s().substring("ORDER#".length()),
                item.get("orderNumber").s(),
                OrderStatus.valueOf(item.get("status").s()),
                text(item, "reservationId"),
                text(item, "customerName"),
                text(item, "customerEmail"),
                item.containsKey("shipping") ? address(item.get("shipping").m()) : null,
                item.containsKey("billing") ? address(item.get("billing").m()) : null,
                item.get("items").l().stream().map(line -> orderItem(line.m(), currency)).toList(),
                new OrderTotals(money(item, "amountSubtotal", currency), money(item, "amountShipping", currency),
                        money(item, "amountDiscount", currency), money(item, "amountTax", currency),
                        money(item, "amountTotal", currency)),
                Long.parseLong(item.get("amountRefunded").n()),
                text(item, "paymentIntentId"),
                Boolean.TRUE.equals(item.get("livemode").bool()),
                Instant.parse(item.get("createdAt").s()),
                item.containsKey("paidAt") ? Instant.parse(item.get("paidAt").s()) : null,
                done,
                text(item, "attentionReason"));
    }

    /** The order item's {@code shipment} map. */
    public static AttributeValue shipment(Shipment shipment) {
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        map.put("carrier", s(shipment.carrier()));
        map.put("trackingNumber", s(shipment.trackingNumber()));
        map.put("trackingUrl", s(shipment.trackingUrl()));
        map.put("shippedAt", s(shipment.shippedAt().toString()));
        map.put("by", s(shipment.by()));
        if (shipment.corrections() > 0) {
            map.put("corrections", n(shipment.corrections()));
        }
        return AttributeValue.fromM(map);
    }

    /** The shipment an order item records, if any, with how often it was corrected since (the back office's {@code corrections}). */
    public static Optional<Shipment> shipment(Map<String, AttributeValue> item) {
        AttributeValue value = item == null ? null : item.get("shipment");
        if (value == null || !value.hasM()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> map = value.m();
        return Optional.of(new Shipment(text(map, "carrier"), text(map, "trackingNumber"), text(map, "trackingUrl"),
                Instant.parse(text(map, "shippedAt")), text(map, "by"),
                map.get("corrections") == null ? 0 : Integer.parseInt(map.get("corrections").n())));
    }

    private static AttributeValue orderItem(OrderItem line) {
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        put(map, "sku", line.sku());
        map.put("name", s(line.name()));
        map.put("quantity", n(line.quantity()));
        map.put("unitAmount", n(line.unitPrice().amount()));
        map.put("amountTotal", n(line.total().amount()));
        return AttributeValue.fromM(map);
    }

    private static OrderItem orderItem(Map<String, AttributeValue> map, String currency) {
        return new OrderItem(text(map, "sku"), map.get("name").s(), Integer.parseInt(map.get("quantity").n()),
                money(map, "unitAmount", currency), money(map, "amountTotal", currency));
    }

    private static AttributeValue address(PostalAddress address) {
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        put(map, "name", address.name());
        put(map, "line1", address.line1());
        put(map, "line2", address.line2());
        put(map, "postalCode", address.postalCode());
        put(map, "city", address.city());
        put(map, "state", address.state());
        map.put("country", s(address.country()));
        return AttributeValue.fromM(map);
    }

    private static PostalAddress address(Map<String, AttributeValue> map) {
        return new PostalAddress(text(map, "name"), text(map, "line1"), text(map, "line2"), text(map, "postalCode"),
                text(map, "city"), text(map, "state"), map.get("country").s());
    }

    private static Money money(Map<String, AttributeValue> item, String attribute, String currency) {
        return Money.of(Long.parseLong(item.get(attribute).n()), currency);
    }

    private static void put(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }
}
