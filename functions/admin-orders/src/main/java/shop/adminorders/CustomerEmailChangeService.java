package shop.adminorders;

import static shop.adminorders.OrderRecordService.expiresAt;
import static shop.adminorders.OrderRecordService.subject;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import shop.commerce.orders.OrderEvents;
import shop.commerce.orders.OrderMessage;
import shop.commerce.orders.OrderStatus;
import shop.core.admin.AdminAction;
import shop.core.admin.AdminCaller;
import shop.core.email.EmailAddress;
import shop.core.errors.ConflictException;
import shop.core.errors.InvalidInputException;
import shop.core.json.Json;
import shop.core.logging.Log;

/**
 * A correction of an order's customer email after its mail bounced (the owner reached the customer another way and has
 * the right address), with the order's mail sent again to the corrected address (once per correction), and the version
 * of the address the record shows so that a correction is conditional on what the page read.
 */
public final class CustomerEmailChangeService {
    /** What {@code emailVersion} is, for a correction whose page sent none. */
    static final String EMAIL_VERSION_FIELD = "\"emailVersion\" is the order's emailVersion as the page read it.";

    private final OrderBook book;
    private final MailSuppressions suppressions;
    private final OrderEvents events;
    private final OrderRecordService records;
    private final Clock clock;

    public CustomerEmailChangeService(OrderBook book, MailSuppressions suppressions, OrderEvents events,
                                      OrderRecordService records, Clock clock) {
        this.book = book;
        this.suppressions = suppressions;
        this.events = events;
        this.records = records;
        this.clock = clock;
    }

    /**
     * Replaces the customer email of a paid order (to ship, shipped or refunded): one transaction sets the address and
     * its keyed hash (so the corrected address's access, erasure and account find the order, and the old one's no
     * longer do), counts the correction, notes who and when, and writes the trail line {@code order.email_changed},
     * on the condition that the order still has the address the page read ({@code readVersion}: the record's
     * {@code emailVersion}); then the message for the corrected address's mail is queued, claimed by the correction's
     * number. The line holds neither address: before, the count and whether the old address bounced; after, the count.
     *
     * <p>The address as stored already: nothing written, and for an order corrected before its latest correction's
     * message queued again (its mail claim keeps it to one mail). An address changed since the page read it: a conflict.
     * An address the shop's mail bounced from or was complained about before: a conflict saying so, nothing written.
     * Unpaid, failed, waiting for an owner's acceptance or erased on request: a conflict saying why.
     */
    public Map<String, Object> changeEmail(AdminCaller caller, String orderId, EmailAddress email, String readVersion) {
        if (email == null) {
            throw new InvalidInputException("email", "\"email\" is required.");
        }
        if (readVersion == null || readVersion.isBlank()) {
            throw new InvalidInputException("emailVersion", EMAIL_VERSION_FIELD);
        }
        Instant now = clock.instant();
        Map<String, Object> order = records.existing(orderId);
        // Twice at most: a write refused by its condition is answered from what is there now.
        for (int attempt = 0; ; attempt++) {
            refuseUnlessCorrectable(order);
            Optional<String> stored = customerEmail(order);
            int changes = order.get("emailChanges") instanceof Number n ? n.intValue() : 0;
            if (stored.map(CustomerEmailChangeService::normalised).filter(email.value()::equals).isPresent()) {
                if (changes > 0) {
                    queueEmailChange(orderId, changes);
                }
                Log.info("order_email_change_repeated", Map.of("orderId", orderId, "changes", changes));
                return records.detail(orderId);
            }
            if (!emailVersion(order).equals(readVersion) || attempt > 0) {
                throw new ConflictException("The customer email of order " + order.get("orderNumber") + " was changed"
                        + " since the page read it (by the customer or someone else here); read it again and correct it"
                        + " again if it still needs it.");
            }
            Optional<String> undeliverable = suppressions.undeliverable(email.value());
            if (undeliverable.isPresent()) {
                String why = undeliverable.get().equals(MailSuppressions.COMPLAINT)
                        ? "its owner marked the shop's mail to it as spam" : "the shop's mail to it bounced for good";
                throw new ConflictException("The customer email of order " + order.get("orderNumber") + " was not"
                        + " changed: " + why + ", so the order's mail would not reach the customer there either. Check the"
                        + " address with the customer. Nothing was changed.");
            }
            int change = changes + 1;
            Map<String, Object> before = new LinkedHashMap<>();
            before.put("change", changes);
            before.put("bounced", stored.map(address -> suppressions.undeliverable(address)
                    .filter(MailSuppressions.BOUNCE::equals).isPresent()).orElse(false));
            Map<String, Object> after = Map.of("change", change);
            AdminAction line = AdminAction.by(caller, subject(orderId), "order.email_changed", now,
                    Json.write(before), Json.write(after), expiresAt(order, clock));
            if (book.changeCustomerEmail(orderId, stored, email, change, now, caller.username(), line)) {
                Log.info("order_email_changed", Map.of("orderId", orderId, "change", change));
                queueEmailChange(orderId, change);
                return records.detail(orderId);
            }
            order = records.existing(orderId);
        }
    }

    /** A conflict saying why, unless the order is paid (to ship, shipped or refunded) and not erased. */
    private static void refuseUnlessCorrectable(Map<String, Object> order) {
        String status = String.valueOf(order.get("status"));
        String why;
        if (order.get("erasedAt") != null || order.get(ShippingAddressChangeService.KEPT_TO_SHIP) != null) {
            why = "it was erased at the customer's request: the shop keeps no address for it";
        } else if (status.equals(OrderStatus.FAILED.name())) {
            why = "its payment failed: there is no order to tell the customer about";
        } else if (status.equals(OrderStatus.PENDING_PAYMENT.name())) {
            why = "it is not paid yet";
        } else if (status.equals(OrderStatus.NEEDS_ATTENTION.name())) {
            why = "it needs an owner's attention and was not confirmed to the customer; accept it first, then correct"
                    + " the address";
        } else if (status.equals(OrderStatus.PAID.name()) || status.equals(OrderStatus.SHIPPED.name())
                || status.equals(OrderStatus.REFUNDED.name())) {
            return;
        } else {
            why = "it is " + status;
        }
        throw new ConflictException("The customer email of order " + order.get("orderNumber") + " cannot be changed: "
                + why + ". Nothing was changed.");
    }

    private static Optional<String> customerEmail(Map<String, Object> order) {
        return order.get("customerEmail") instanceof String email ? Optional.of(email) : Optional.empty();
    }

    /** As the searches compare addresses: trimmed and lower-cased (a stored one may be what Stripe accepted). */
    private static String normalised(String address) {
        return address.strip().toLowerCase(Locale.ROOT);
    }

    /**
     * What the page sends back to say which address it read: a digest of the customer email as stored (none too). Not
     * the address, and no secret: only what a correction is conditional on.
     */
    static String emailVersion(Map<String, Object> order) {
        return RecordVersion.of(Arrays.asList(customerEmail(order).isPresent(), customerEmail(order).orElse(null)));
    }

    private void queueEmailChange(String orderId, int change) {
        events.publish(new OrderMessage(OrderMessage.Type.ORDER_EMAIL_CHANGED, orderId, Integer.toString(change)));
    }
}
