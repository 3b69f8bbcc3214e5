package shop.adminorders;

import static shop.adminorders.OrderRecordService.expiresAt;
import static shop.adminorders.OrderRecordService.subject;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import shop.commerce.orders.OrderEvents;
import shop.commerce.orders.OrderMessage;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.OrderStep;
import shop.core.admin.AdminAction;
import shop.core.admin.AdminCaller;
import shop.core.errors.ConflictException;
import shop.core.errors.InvalidInputException;
import shop.core.json.Json;
import shop.core.logging.Log;

/**
 * An owner's acceptance of an order that needs attention, with the customer's confirmation queued (once). The handler
 * checks the caller's group before anything here runs; an acceptance checks it again.
 */
public final class OrderAcceptanceService {
    /** The longest note an owner's acceptance keeps in the trail. */
    static final int MAX_NOTE = 500;

    private final OrderBook book;
    private final OrderEvents events;
    private final OrderRecordService records;
    private final Clock clock;

    public OrderAcceptanceService(OrderBook book, OrderEvents events, OrderRecordService records, Clock clock) {
        this.book = book;
        this.events = events;
        this.records = records;
        this.clock = clock;
    }

    /**
     * The owner has checked an order that needs attention and will honour it: NEEDS_ATTENTION →
     * PAID with its trail line (and the note), in one transaction that also takes its pieces from
     * stock when its payment took none (it names no reservation) and counts it among the day's
     * orders unless its payment did; then the customer's confirmation is queued as for any paid
     * order (the shop's "new order" mail goes with it: the order is now one to ship). A piece no
     * longer in stock is a conflict that names it, with nothing written: the owner refunds instead.
     * A piece in stock but archived (no longer sold) is a conflict that names it as archived, unless
     * the owner said to take archived pieces too ({@code takeArchived}): archiving is the owner's
     * "this is no longer for sale", which only the owner's explicit word overrides.
     * Accepting an order accepted already answers it as it is, and queues the message again only
     * if the first acceptance stopped before noting it queued (the mail claims keep each mail to one).
     */
    public Map<String, Object> accept(AdminCaller caller, String orderId, String note, boolean takeArchived) {
        caller.requireOwner();
        String cleanNote = note(note);
        Map<String, Object> order = records.existing(orderId);
        if (acceptedAlready(order)) {
            return acceptedAgain(orderId, order);
        }
        String status = String.valueOf(order.get("status"));
        if (!status.equals(OrderStatus.NEEDS_ATTENTION.name())) {
            throw new ConflictException("Only an order that needs attention can be accepted; this one is " + status + ".");
        }
        boolean tookStock = order.get("reservationId") != null;
        Map<String, Integer> pieces = tookStock ? Map.of() : pieces(order);
        Instant now = clock.instant();
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("status", OrderStatus.PAID.name());
        if (!pieces.isEmpty()) {
            after.put("piecesTaken", pieces);
        }
        if (!pieces.isEmpty() && takeArchived) {
            after.put("takeArchived", true);
        }
        if (cleanNote != null) {
            after.put("note", cleanNote);
        }
        AdminAction line = AdminAction.by(caller, subject(orderId), "order.accepted", now,
                Json.write(Map.of("status", OrderStatus.NEEDS_ATTENTION.name())), Json.write(after), expiresAt(order, clock));
        LocalDate createdOn = Instant.parse(String.valueOf(order.get("createdAt"))).atZone(ZoneOffset.UTC).toLocalDate();
        OrderBook.Acceptance acceptance = book.accept(orderId, pieces, takeArchived, createdOn, now, line);
        switch (acceptance.result()) {
            case PIECE_GONE -> throw new ConflictException("Order " + order.get("orderNumber") + " cannot be accepted: "
                    + acceptance.sku() + " is no longer in stock. Nothing was changed; refund the order instead.");
            case PIECE_ARCHIVED -> throw new ConflictException("Order " + order.get("orderNumber") + " cannot be accepted"
                    + " as it stands: " + acceptance.sku() + " is archived (no longer on sale). Nothing was changed;"
                    + " if the piece is on the shelf for this customer, accept again taking archived pieces too"
                    + " (takeArchived), or refund the order.");
            case NOT_NEEDING_ATTENTION -> {
                // Accepted (or refunded) between our read and our write: answer as for what is there now.
                Map<String, Object> current = records.existing(orderId);
                if (acceptedAlready(current)) {
                    return acceptedAgain(orderId, current);
                }
                throw new ConflictException("This order can no longer be accepted; it is " + current.get("status") + ".");
            }
            case ACCEPTED -> {
                Log.info("order_accepted", Map.of("orderId", orderId, "lines", pieces.size()));
                queuePaid(orderId);
                return records.detail(orderId);
            }
        }
        throw new IllegalStateException("Unknown acceptance " + acceptance.result());
    }

    private Map<String, Object> acceptedAgain(String orderId, Map<String, Object> order) {
        if (!(order.get("done") instanceof List<?> done && done.contains(OrderStep.PAID_EFFECTS.name()))) {
            queuePaid(orderId);
        }
        Log.info("order_acceptance_repeated", Map.of("orderId", orderId));
        return records.detail(orderId);
    }

    /** The customer's confirmation as the webhook queues it for a paid order; then noted, so a repeat queues no more. */
    private void queuePaid(String orderId) {
        events.publish(new OrderMessage(OrderMessage.Type.ORDER_PAID, orderId));
        book.markPaidMessageQueued(orderId);
    }

    /** PAID and accepted by an owner (a paid order the webhook recorded has no {@code acceptedAt}). */
    private static boolean acceptedAlready(Map<String, Object> order) {
        return OrderStatus.PAID.name().equals(order.get("status")) && order.get("acceptedAt") != null;
    }

    /** The order's pieces by SKU; lines not from the catalog (no SKU) take nothing from stock. */
    private static Map<String, Integer> pieces(Map<String, Object> order) {
        Map<String, Integer> pieces = new LinkedHashMap<>();
        if (order.get("items") instanceof List<?> lines) {
            for (Object line : lines) {
                if (line instanceof Map<?, ?> map && map.get("sku") instanceof String sku
                        && map.get("quantity") instanceof Number quantity) {
                    pieces.merge(sku, quantity.intValue(), Integer::sum);
                }
            }
        }
        return pieces;
    }

    private static String note(String note) {
        if (note == null) {
            return null;
        }
        String clean = note.strip();
        // An unpaired surrogate cannot be written as UTF-8: DynamoDB would refuse the acceptance's whole transaction.
        if (clean.length() > MAX_NOTE || clean.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n'
                || Character.getType(c) == Character.SURROGATE)) {
            throw new InvalidInputException("note", "\"note\" is at most " + MAX_NOTE + " characters of text.");
        }
        return clean.isEmpty() ? null : clean;
    }
}
