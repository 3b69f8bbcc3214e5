package shop.adminorders;

import static shop.adminorders.OrderRecordService.expiresAt;
import static shop.adminorders.OrderRecordService.subject;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import shop.commerce.orders.OrderEvents;
import shop.commerce.orders.OrderMessage;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.Shipment;
import shop.core.admin.AdminAction;
import shop.core.admin.AdminCaller;
import shop.core.errors.ConflictException;
import shop.core.errors.InvalidInputException;
import shop.core.json.Json;
import shop.core.logging.Log;

/**
 * Shipments: a paid order shipped (with the customer's shipping mail queued, once) and a shipment's corrections (with
 * the right tracking link mailed, once per correction).
 */
public final class ShipmentService {
    /** What {@code corrections} is, for a correction whose page sent none or a wrong one. */
    static final String CORRECTIONS_FIELD = "\"corrections\" is the shipment's corrections as the page read it"
            + " (0 when it was never corrected).";

    private final OrderBook book;
    private final OrderEvents events;
    private final OrderRecordService records;
    private final Clock clock;

    public ShipmentService(OrderBook book, OrderEvents events, OrderRecordService records, Clock clock) {
        this.book = book;
        this.events = events;
        this.records = records;
        this.clock = clock;
    }

    /**
     * Records the shipment with its trail line (one transaction), finishes an erasure that waited
     * for it (the name and address it kept for shipping go) and queues the customer's shipping
     * mail. Pressing again with the same parcel changes nothing and queues the mail again (the
     * notification function's mail claim keeps it to one mail), so an erasure or a queue that
     * failed after the status changed is made good by pressing again; another parcel for a shipped
     * order is a conflict.
     */
    public Map<String, Object> ship(AdminCaller caller, String orderId, String carrier, String trackingNumber,
                                    String trackingUrl) {
        Instant now = clock.instant();
        Shipment shipment;
        try {
            shipment = new Shipment(carrier, trackingNumber, trackingUrl, now, caller.username());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(null, e.getMessage());
        }
        Map<String, Object> order = records.existing(orderId);
        String status = String.valueOf(order.get("status"));
        if (!status.equals(OrderStatus.SHIPPED.name())) {
            if (!status.equals(OrderStatus.PAID.name())) {
                throw new ConflictException("Only a paid order can be shipped; this one is " + status + ".");
            }
            AdminAction line = AdminAction.by(caller, subject(orderId), "order.shipped", now,
                    Json.write(Map.of("status", OrderStatus.PAID.name())), Json.write(shipped(shipment)),
                    expiresAt(order, clock));
            if (book.markShipped(orderId, shipment, line)) {
                book.finishDeferredErasure(orderId);
                Log.info("order_shipped", Map.of("orderId", orderId, "carrier", shipment.carrier()));
                events.publish(new OrderMessage(OrderMessage.Type.ORDER_SHIPPED, orderId));
                return records.detail(orderId);
            }
            // Shipped (or refunded) between our read and our write: answer as for what is there now.
            order = records.existing(orderId);
        }
        Optional<Shipment> recorded = recordedShipment(order);
        if (recorded.isEmpty() || !String.valueOf(order.get("status")).equals(OrderStatus.SHIPPED.name())) {
            throw new ConflictException("This order can no longer be shipped; it is " + order.get("status") + ".");
        }
        if (!recorded.get().sameParcelAs(shipment)) {
            throw new ConflictException("This order was already shipped with another parcel ("
                    + recorded.get().carrier() + " " + recorded.get().trackingNumber() + ").");
        }
        // The same parcel again: the last press may have failed after the write (its line came with it).
        // Finish what it started: an erasure that waited for the shipment, and the mail (queued again;
        // the mail claim keeps it to one mail).
        book.finishDeferredErasure(orderId);
        events.publish(new OrderMessage(OrderMessage.Type.ORDER_SHIPPED, orderId));
        Log.info("order_shipment_repeated", Map.of("orderId", orderId));
        return records.detail(orderId);
    }

    /**
     * Corrects a shipped order's carrier, tracking number and link (a typo, the wrong carrier): one
     * transaction replaces them, counts the correction, notes who and when, and writes the trail line
     * with before and after, on the condition that the order is still SHIPPED with the shipment the
     * page read ({@code readCorrections}: the shipment's {@code corrections} as the page showed it, 0
     * when never corrected); then the customer's mail with the right link is queued, claimed by the
     * correction's number. {@code fulfilledAt} and who first recorded the shipment stay.
     *
     * <p>An erasure that waited for the shipment and is not finished yet (the shipment's press stopped in between) is
     * finished by a correction written or repeated, as pressing "ship" again would; a refused correction writes nothing.
     *
     * <p>The parcel as it is stored already: nothing written, and for a corrected shipment its
     * correction's message queued again (its mail claim keeps it to one mail), so a press that failed
     * after the write is finished by pressing again. A shipment corrected since the page read it: a
     * conflict, the page reloads. Not shipped: a conflict.
     */
    public Map<String, Object> correctShipment(AdminCaller caller, String orderId, String carrier,
                                               String trackingNumber, String trackingUrl, int readCorrections) {
        Instant now = clock.instant();
        Shipment parcel;
        try {
            parcel = new Shipment(carrier, trackingNumber, trackingUrl, now, caller.username());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(null, e.getMessage());
        }
        if (readCorrections < 0) {
            throw new InvalidInputException("corrections", CORRECTIONS_FIELD);
        }
        Map<String, Object> order = records.existing(orderId);
        // Twice at most: a write refused by its condition is answered from what is there now.
        for (int attempt = 0; ; attempt++) {
            String status = String.valueOf(order.get("status"));
            Optional<Shipment> recorded = recordedShipment(order);
            if (!status.equals(OrderStatus.SHIPPED.name()) || recorded.isEmpty()) {
                throw new ConflictException("Only a shipped order's shipment can be corrected; this one is " + status + ".");
            }
            Shipment stored = recorded.get();
            if (stored.sameParcelAs(parcel)) {
                finishErasure(orderId);
                if (stored.corrections() > 0) {
                    queueCorrection(orderId, stored.corrections());
                }
                Log.info("order_shipment_correction_repeated", Map.of("orderId", orderId,
                        "corrections", stored.corrections()));
                return records.detail(orderId);
            }
            if (stored.corrections() != readCorrections || attempt > 0) {
                throw new ConflictException("This shipment was changed since the page read it (it is now "
                        + stored.carrier() + " " + stored.trackingNumber() + "); reload the order and correct it again.");
            }
            Shipment corrected = stored.correctedTo(parcel);
            AdminAction line = AdminAction.by(caller, subject(orderId), "order.shipment_corrected", now,
                    Json.write(parcel(stored)), Json.write(parcel(corrected)), expiresAt(order, clock));
            if (book.correctShipment(orderId, stored, corrected, now, caller.username(), line)) {
                finishErasure(orderId);
                Log.info("order_shipment_corrected", Map.of("orderId", orderId, "carrier", corrected.carrier(),
                        "corrections", corrected.corrections()));
                queueCorrection(orderId, corrected.corrections());
                return records.detail(orderId);
            }
            order = records.existing(orderId);
        }
    }

    /**
     * A shipment whose press stopped before it finished an erasure that waited for it (its page then shows the
     * correction form, not the ship form): a correction records the shipment again, so it finishes that too.
     */
    private void finishErasure(String orderId) {
        book.finishDeferredErasure(orderId);
    }

    private void queueCorrection(String orderId, int correction) {
        events.publish(new OrderMessage(OrderMessage.Type.SHIPMENT_CORRECTED, orderId, Integer.toString(correction)));
    }

    /** A shipment in the trail of its corrections: the parcel and how often it had been corrected. */
    private static Map<String, Object> parcel(Shipment shipment) {
        Map<String, Object> parcel = new LinkedHashMap<>();
        parcel.put("carrier", shipment.carrier());
        parcel.put("trackingNumber", shipment.trackingNumber());
        parcel.put("trackingUrl", shipment.trackingUrl());
        parcel.put("corrections", shipment.corrections());
        return parcel;
    }

    private static Optional<Shipment> recordedShipment(Map<String, Object> order) {
        if (!(order.get("shipment") instanceof Map<?, ?> map)) {
            return Optional.empty();
        }
        return Optional.of(new Shipment(String.valueOf(map.get("carrier")), String.valueOf(map.get("trackingNumber")),
                String.valueOf(map.get("trackingUrl")), Instant.parse(String.valueOf(map.get("shippedAt"))),
                String.valueOf(map.get("by")), map.get("corrections") instanceof Number n ? n.intValue() : 0));
    }

    private static Map<String, Object> shipped(Shipment shipment) {
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("status", OrderStatus.SHIPPED.name());
        after.put("carrier", shipment.carrier());
        after.put("trackingNumber", shipment.trackingNumber());
        after.put("trackingUrl", shipment.trackingUrl());
        return after;
    }
}
