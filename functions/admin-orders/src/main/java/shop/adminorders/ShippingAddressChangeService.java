package shop.adminorders;

import static shop.adminorders.OrderRecordService.expiresAt;
import static shop.adminorders.OrderRecordService.subject;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import shop.commerce.orders.OrderEvents;
import shop.commerce.orders.OrderMessage;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.ShippingAddress;
import shop.core.admin.AdminAction;
import shop.core.admin.AdminCaller;
import shop.core.errors.ConflictException;
import shop.core.errors.InvalidInputException;
import shop.core.json.Json;
import shop.core.logging.Log;

/**
 * A change of an order's shipping address at the customer's request, with the customer told (once per change), and the
 * version of the address the record shows so that a change is conditional on what the page read.
 */
public final class ShippingAddressChangeService {
    /** What {@code shippingVersion} is, for a change whose page sent none. */
    static final String SHIPPING_VERSION_FIELD = "\"shippingVersion\" is the order's shippingVersion as the page read it.";
    /** The mark of an order erased while to ship (shop.commerce.orders.DynamoDeferredErasure.MARKER). */
    static final String KEPT_TO_SHIP = "shippingKeptUntilDone";

    private final OrderBook book;
    private final OrderEvents events;
    private final OrderRecordService records;
    private final Clock clock;

    public ShippingAddressChangeService(OrderBook book, OrderEvents events, OrderRecordService records, Clock clock) {
        this.book = book;
        this.events = events;
        this.records = records;
        this.clock = clock;
    }

    /**
     * Changes the name and address a paid order still to ship goes to, at the customer's request (a mail or a call):
     * one transaction replaces the order's shipping address (its {@code name} and parts, and the order's country),
     * counts the change, notes who and when, and writes the trail line {@code order.shipping_address_changed}, on the
     * condition that the order is still to ship with the address the page read ({@code readVersion}: the record's
     * {@code shippingVersion}); then the customer's mail saying so is queued, claimed by the change's number. The line
     * names the parts that changed and the country before and after, never a street, a city or a name: the address
     * lives on the order only, where an erasure and the order's retention reach it.
     *
     * <p>The values as stored already: nothing written, and for an order changed before its latest change's message
     * queued again (its mail claim keeps it to one mail), so a press that failed after the write is finished by pressing
     * again. An address changed since the page read it (by the customer's own correction or someone else here): a
     * conflict, the page reads again. Not to ship (shipped, refunded, failed, unpaid, waiting for an owner's
     * acceptance) or erased on request: a conflict saying why.
     */
    public Map<String, Object> changeShippingAddress(AdminCaller caller, String orderId, String name,
                                                     ShippingAddress address, String readVersion) {
        String recipient = ShippingAddress.name("name", name);
        if (address == null) {
            throw new InvalidInputException(ShippingAddress.FIELD, "\"" + ShippingAddress.FIELD + "\" is required.");
        }
        if (readVersion == null || readVersion.isBlank()) {
            throw new InvalidInputException("shippingVersion", SHIPPING_VERSION_FIELD);
        }
        Map<String, String> changed = new LinkedHashMap<>();
        changed.put("name", recipient);
        changed.putAll(address.fields());
        Instant now = clock.instant();
        Map<String, Object> order = records.existing(orderId);
        // Twice at most: a write refused by its condition is answered from what is there now.
        for (int attempt = 0; ; attempt++) {
            refuseUnlessToShip(order);
            Optional<Map<String, String>> stored = shippingAddress(order);
            int changes = order.get("shippingChanges") instanceof Number n ? n.intValue() : 0;
            if (stored.isPresent() && stored.get().equals(changed)) {
                if (changes > 0) {
                    queueAddressChange(orderId, changes);
                }
                Log.info("order_shipping_address_change_repeated", Map.of("orderId", orderId, "changes", changes));
                return records.detail(orderId);
            }
            if (!shippingVersion(order).equals(readVersion) || attempt > 0) {
                throw new ConflictException("The shipping address of order " + order.get("orderNumber") + " was changed"
                        + " since the page read it (by the customer or someone else here); read it again and change it"
                        + " again if it still needs it.");
            }
            int change = changes + 1;
            List<String> parts = new ArrayList<>();
            for (String part : OrderBook.SHIPPING_PARTS) {
                if (!Objects.equals(stored.map(m -> m.get(part)).orElse(null), changed.get(part))) {
                    parts.add(part);
                }
            }
            Map<String, Object> before = new LinkedHashMap<>();
            before.put("country", stored.map(m -> m.get("country")).orElse(null));
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("country", changed.get("country"));
            after.put("changed", parts);
            after.put("change", change);
            AdminAction line = AdminAction.by(caller, subject(orderId), "order.shipping_address_changed", now,
                    Json.write(before), Json.write(after), expiresAt(order, clock));
            if (book.changeShippingAddress(orderId, stored, changed, change, now, caller.username(), line)) {
                Log.info("order_shipping_address_changed", Map.of("orderId", orderId, "changed", parts, "change", change));
                queueAddressChange(orderId, change);
                return records.detail(orderId);
            }
            order = records.existing(orderId);
        }
    }

    /** A conflict saying why, unless the order is paid, not shipped and not erased: one whose address may change. */
    private static void refuseUnlessToShip(Map<String, Object> order) {
        String number = String.valueOf(order.get("orderNumber"));
        String status = String.valueOf(order.get("status"));
        String why;
        if (status.equals(OrderStatus.SHIPPED.name()) || order.get("fulfilledAt") != null) {
            why = "it has shipped: the parcel left with the address it had";
        } else if (status.equals(OrderStatus.REFUNDED.name())) {
            why = "it is refunded: there is nothing left to ship";
        } else if (status.equals(OrderStatus.FAILED.name())) {
            why = "its payment failed: there is nothing to ship";
        } else if (status.equals(OrderStatus.PENDING_PAYMENT.name())) {
            why = "it is not paid yet";
        } else if (status.equals(OrderStatus.NEEDS_ATTENTION.name())) {
            why = "it needs an owner's attention and is not to ship until an owner accepts it; change it once it is";
        } else if (order.get("erasedAt") != null || order.get(KEPT_TO_SHIP) != null) {
            why = "it was erased at the customer's request: the shop keeps only what shipping it as ordered needs,"
                    + " and no address to tell the customer of a change";
        } else if (!status.equals(OrderStatus.PAID.name())) {
            why = "it is " + status;
        } else {
            return;
        }
        throw new ConflictException("The shipping address of order " + number + " cannot be changed: " + why
                + ". Nothing was changed.");
    }

    /** The order's shipping address as stored: its parts present, as strings; empty when it has none. */
    private static Optional<Map<String, String>> shippingAddress(Map<String, Object> order) {
        if (!(order.get("shipping") instanceof Map<?, ?> shipping)) {
            return Optional.empty();
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : OrderBook.SHIPPING_PARTS) {
            if (shipping.get(part) != null) {
                parts.put(part, String.valueOf(shipping.get(part)));
            }
        }
        return Optional.of(parts);
    }

    /**
     * What the page sends back to say which address it read: a digest of the shipping address as stored (every part,
     * absent ones too). Not the address, and no secret: only what a change is conditional on.
     */
    static String shippingVersion(Map<String, Object> order) {
        Optional<Map<String, String>> address = shippingAddress(order);
        List<Object> parts = new ArrayList<>();
        parts.add(address.isPresent());
        for (String part : OrderBook.SHIPPING_PARTS) {
            parts.add(address.map(m -> m.get(part)).orElse(null));
        }
        return RecordVersion.of(parts);
    }

    private void queueAddressChange(String orderId, int change) {
        events.publish(new OrderMessage(OrderMessage.Type.SHIPPING_ADDRESS_CHANGED, orderId, Integer.toString(change)));
    }
}
