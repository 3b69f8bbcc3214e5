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
import java.util.Optional;
import java.util.Set;
import shop.commerce.orders.DynamoDeferredErasure;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderIndexes;
import shop.core.dynamo.DynamoItems;
import shop.core.email.EmailAddress;
import shop.core.security.AddressHasher;
import shop.privacy.Correction;
import shop.privacy.OrderData;
import shop.privacy.OrderRecords;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The orders and checkouts tables (template.yaml's OrdersTable and CheckoutsTable) in the layout
 * of shop-commerce's DynamoOrderStore: {@code ORDER#<Checkout Session id>} with customerName,
 * customerEmail, shipping and billing maps (name, line1, line2, postalCode, city, state,
 * country), amounts and dates; {@code MAIL#<order id>#<kind>} mail records; and
 * {@code RESERVATION#<id>} in the checkouts table. A person's orders are found through the
 * {@code byEmailHash} index (the keyed hash of the trimmed, lower-cased address, so every spelling
 * meets), each then read consistently and kept only if it still carries the address; their mails
 * through {@code mailsByOrder}. Queries only: the cost follows the person's orders, not the table.
 */
public final class DynamoOrderRecords implements OrderRecords {
    /** Top-level order attributes that identify the customer. */
    static final List<String> PERSONAL_ATTRIBUTES = List.of("customerName", "customerEmail", "customerPhone", "phone",
            OrderIndexes.EMAIL_HASH);
    /** Address maps whose every part but the country is personal. */
    static final List<String> ADDRESS_ATTRIBUTES = List.of("shipping", "billing");
    /** The statuses of an order that has not shipped: it is unpaid yet, or paid and not fulfilled. */
    private static final List<String> UNSHIPPED = List.of("PENDING_PAYMENT", "PAID");
    /** Rounds of read and conditional write for one order that keeps changing under an erasure. */
    private static final int ATTEMPTS = 5;

    private final DynamoDbClient dynamo;
    private final String ordersTable;
    private final String checkoutsTable;
    private final AddressHasher hasher;
    private final Clock clock;

    public DynamoOrderRecords(DynamoDbClient dynamo, String ordersTable, String checkoutsTable, AddressHasher hasher,
                              Clock clock) {
        this.dynamo = dynamo;
        this.ordersTable = ordersTable;
        this.checkoutsTable = checkoutsTable;
        this.hasher = hasher;
        this.clock = clock;
    }

    @Override
    public OrderData find(EmailAddress address) {
        List<Map<String, AttributeValue>> orders = orders(address);
        List<Map<String, AttributeValue>> theirMails = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        Set<String> spellings = new LinkedHashSet<>();
        Set<String> customers = new LinkedHashSet<>();
        List<Map<String, Object>> checkouts = new ArrayList<>();
        for (var order : orders) {
            ids.add(orderId(order));
            theirMails.addAll(mails(orderId(order)));
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
        return new OrderData(DynamoValues.items(orders), DynamoValues.items(theirMails), checkouts, spellings, customers);
    }

    @Override
    public Erased anonymise(EmailAddress address, Instant at) {
        List<String> changed = new ArrayList<>();
        List<String> keptToShip = new ArrayList<>();
        for (var read : orders(address)) {
            var order = read;
            // A few rounds: an order shipped or refunded between the read and the write is read again and erased whole.
            for (int attempt = 0; attempt < ATTEMPTS && order != null; attempt++) {
                boolean toShip = toShip(order);
                try {
                    dynamo.updateItem(anonymisation(order, address, at, toShip));
                    changed.add(orderId(order));
                    if (toShip) {
                        keptToShip.add(orderId(order));
                    }
                    order = null;
                } catch (ConditionalCheckFailedException changedMeanwhile) {
                    // Erased by another request (no longer carries the address: left alone), or shipped,
                    // refunded or paid since it was read: judged again as it is now.
                    String pk = order.get("pk").s();
                    order = DynamoItems.live(dynamo.getItem(b -> b.tableName(ordersTable).key(key(pk)).consistentRead(true))
                                    .item(), clock.instant())
                            .filter(now -> DynamoItems.string(now, "customerEmail").filter(email -> matches(email, address))
                                    .isPresent())
                            .orElse(null);
                }
            }
            if (order != null) {
                throw new IllegalStateException("An order kept changing while it was erased; run the request again");
            }
        }
        return new Erased(changed, keptToShip);
    }

    /** Paid and not shipped: the contract still needs the name and the address to ship to. */
    private static boolean toShip(Map<String, AttributeValue> order) {
        return DynamoItems.string(order, "status").filter("PAID"::equals).isPresent() && !order.containsKey("fulfilledAt");
    }

    /**
     * The write that erases {@code order} as read: whole, or, for an order {@code toShip}, all but its
     * name and shipping address (marked {@link DynamoDeferredErasure#MARKER}, finished once it ships or is
     * refunded). Conditioned on what was read: the order still carries the address (never erase
     * someone else's), and it is still to ship, or still not.
     */
    private UpdateItemRequest anonymisation(Map<String, AttributeValue> order, EmailAddress address, Instant at,
                                            boolean toShip) {
        Map<String, String> names = new HashMap<>();
        List<String> remove = new ArrayList<>();
        for (var attribute : order.entrySet()) {
            String name = attribute.getKey();
            String text = attribute.getValue().s();
            if (toShip && name.equals("customerName")) {
                continue;
            }
            // The known personal fields, and any other top-level text that is the address (a receipt email, say).
            if (PERSONAL_ATTRIBUTES.contains(name) || text != null && matches(text, address)) {
                remove.add(placeholder(names, name));
            }
        }
        for (String map : ADDRESS_ATTRIBUTES) {
            AttributeValue value = order.get(map);
            if (value == null || value.m() == null || toShip && map.equals("shipping")) {
                continue;
            }
            for (String part : value.m().keySet()) {
                if (!part.equals("country")) {
                    remove.add(placeholder(names, map) + "." + placeholder(names, part));
                }
            }
        }
        String email = placeholder(names, "customerEmail");
        String status = placeholder(names, "status");
        String fulfilled = placeholder(names, "fulfilledAt");
        return UpdateItemRequest.builder().tableName(ordersTable).key(key(order.get("pk").s()))
                .updateExpression("SET erasedAt = :at"
                        + (toShip ? ", " + placeholder(names, DynamoDeferredErasure.MARKER) + " = :at" : "")
                        + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove)))
                .conditionExpression(email + " = :seen AND " + (toShip
                        ? status + " = :paid AND attribute_not_exists(" + fulfilled + ")"
                        : "NOT (" + status + " = :paid AND attribute_not_exists(" + fulfilled + "))"))
                .expressionAttributeNames(names)
                .expressionAttributeValues(Map.of(":at", s(at.toString()), ":seen", order.get("customerEmail"),
                        ":paid", s("PAID")))
                .build();
    }

    /**
     * {@link #anonymise} for a person known only by the keyed hash of their address (a closed
     * erasure request keeps nothing else): the addresses on the orders the index finds under the
     * hash, each checked against it, are anonymised as at {@code at}. For re-applying erasures
     * to a restored table ({@link DynamoErasureReplay}).
     */
    public Erased anonymiseByHash(String addressHash, Instant at) {
        Set<EmailAddress> addresses = new LinkedHashSet<>();
        for (var key : orderKeys(addressHash)) {
            var item = dynamo.getItem(b -> b.tableName(ordersTable).key(key(key.get("pk").s())).consistentRead(true)).item();
            DynamoItems.string(item == null ? Map.<String, AttributeValue>of() : item, "customerEmail").flatMap(DynamoOrderRecords::address)
                    .filter(address -> hasher.hash(address).equals(addressHash))
                    .ifPresent(addresses::add);
        }
        List<String> changed = new ArrayList<>();
        List<String> keptToShip = new ArrayList<>();
        for (EmailAddress address : addresses) {
            Erased erased = anonymise(address, at);
            changed.addAll(erased.orders());
            keptToShip.addAll(erased.keptToShip());
        }
        return new Erased(changed, keptToShip);
    }

    private static Optional<EmailAddress> address(String stored) {
        try {
            return Optional.of(new EmailAddress(stored.strip().toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<String> correct(EmailAddress address, Correction correction, Instant at) {
        List<Map<String, AttributeValue>> orders = orders(address);
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

    /**
     * The person's live orders: keys from the index by the keyed hash of the address, then each order
     * read consistently (the index lags its table a moment on AWS) and kept only while it still
     * carries the address (an order erased or corrected since no longer does).
     */
    @Override
    public List<String> changeEmail(EmailAddress from, EmailAddress to, Instant at) {
        List<String> moved = new ArrayList<>();
        for (var order : orders(from)) {
            try {
                dynamo.updateItem(UpdateItemRequest.builder().tableName(ordersTable).key(key(order.get("pk").s()))
                        // emailChangedBy: the back office's record names who changed it last, here the customer.
                        .updateExpression("SET customerEmail = :to, #hash = :hash, emailChangedAt = :at, emailChangedBy = :by")
                        .conditionExpression("customerEmail = :from")
                        .expressionAttributeNames(Map.of("#hash", OrderIndexes.EMAIL_HASH))
                        .expressionAttributeValues(Map.of(":to", s(to.value()),
                                ":hash", s(OrderIndexes.emailHash(hasher, to.value())), ":at", s(at.toString()),
                                ":by", s(Order.EMAIL_CHANGED_BY_CUSTOMER), ":from", order.get("customerEmail")))
                        .build());
                moved.add(orderId(order));
            } catch (ConditionalCheckFailedException changedMeanwhile) {
                // Anonymised or moved by another request since it was read: left as it is now.
            }
        }
        return moved;
    }

    private List<Map<String, AttributeValue>> orders(EmailAddress address) {
        Instant now = clock.instant();
        List<Map<String, AttributeValue>> orders = new ArrayList<>();
        for (var key : orderKeys(hasher.hash(address))) {
            var item = dynamo.getItem(b -> b.tableName(ordersTable).key(key(key.get("pk").s())).consistentRead(true))
                    .item();
            DynamoItems.live(item, now)
                    .filter(order -> DynamoItems.string(order, "customerEmail").filter(email -> matches(email, address))
                            .isPresent())
                    .ifPresent(orders::add);
        }
        return orders;
    }

    /** The keys of the orders the index by keyed hash lists under {@code addressHash}. */
    private List<Map<String, AttributeValue>> orderKeys(String addressHash) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        var query = QueryRequest.builder().tableName(ordersTable).indexName(OrderIndexes.BY_EMAIL_HASH)
                .keyConditionExpression("#hash = :hash")
                .expressionAttributeNames(Map.of("#hash", OrderIndexes.EMAIL_HASH))
                .expressionAttributeValues(Map.of(":hash", s(addressHash)))
                .build();
        for (var page : dynamo.queryPaginator(query)) {
            keys.addAll(page.items());
        }
        return keys;
    }

    /** The order's mail records, through the index by order. */
    private List<Map<String, AttributeValue>> mails(String orderId) {
        Instant now = clock.instant();
        List<Map<String, AttributeValue>> mails = new ArrayList<>();
        var query = QueryRequest.builder().tableName(ordersTable).indexName(OrderIndexes.MAILS_BY_ORDER)
                .keyConditionExpression("#order = :order")
                .expressionAttributeNames(Map.of("#order", OrderIndexes.MAIL_ORDER_ID))
                .expressionAttributeValues(Map.of(":order", s(orderId)))
                .build();
        for (var page : dynamo.queryPaginator(query)) {
            page.items().stream().filter(mail -> !DynamoItems.expired(mail, now)).forEach(mails::add);
        }
        return mails;
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
