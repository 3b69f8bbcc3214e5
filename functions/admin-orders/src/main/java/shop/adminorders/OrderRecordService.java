package shop.adminorders;

import static shop.adminorders.CustomerEmailChangeService.emailVersion;
import static shop.adminorders.ShippingAddressChangeService.shippingVersion;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import shop.commerce.orders.Order;
import shop.commerce.orders.Refund;
import shop.core.admin.AdminAction;
import shop.core.admin.AuditTrail;
import shop.core.errors.NotFoundException;
import shop.core.retention.RetentionSchedule;

/**
 * An order's whole record as the back office shows it, with who acted named by their sign-in address; the other
 * services read the order through it, answer with it, and write their audit lines under its subject and lifetime.
 */
public final class OrderRecordService {
    /** Attributes the detail leaves out: index keys and the keyed hash are plumbing, not the order. */
    private static final Set<String> PLUMBING = Set.of("pk", "listedAt", "createdMonth", "emailHash", "disputeOpen",
            "disputeDueBy");

    private final OrderBook book;
    private final AuditTrail trail;
    private final AdminNames names;

    public OrderRecordService(OrderBook book, AuditTrail trail, AdminNames names) {
        this.book = book;
        this.trail = trail;
        this.names = names;
    }

    /**
     * The whole record: the order as stored (for an order that needs or needed the owner, with
     * {@code attentionReason}: why, written with its NEEDS_ATTENTION status, so it is there before and
     * whether or not the owner's mail went out), its mails, and its trail in the back office. Who
     * shipped, refunded or acted is named by their sign-in address (what is stored is the account's
     * generated username); a refund made in the Stripe Dashboard stays named as such.
     */
    public Map<String, Object> detail(String orderId) {
        Map<String, Object> order = existing(orderId);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", orderId);
        order.forEach((name, value) -> {
            if (!PLUMBING.contains(name)) {
                body.put(name, value);
            }
        });
        if (body.get("shipment") instanceof Map<?, ?> shipment) {
            body.put("shipment", named(shipment));
        }
        if (body.get("shippingChangedBy") instanceof String by) {
            body.put("shippingChangedBy", person(by));
        }
        body.put("shippingVersion", shippingVersion(order));
        if (body.get("emailChangedBy") instanceof String by) {
            body.put("emailChangedBy", person(by));
        }
        body.put("emailVersion", emailVersion(order));
        if (body.get("refunds") instanceof List<?> refunds) {
            body.put("refunds", refunds.stream().map(r -> r instanceof Map<?, ?> refund ? named(refund) : r).toList());
        }
        List<Map<String, Object>> mails = new ArrayList<>();
        for (Map<String, Object> mail : book.mails(orderId)) {
            Map<String, Object> line = new LinkedHashMap<>();
            String pk = String.valueOf(mail.get("pk"));
            // MAIL#<order>#<kind>, or MAIL#<order>#<kind>#<refund or dispute id> for the mails sent once per refund or dispute.
            String kind = pk.substring(("MAIL#" + orderId + "#").length());
            int ref = kind.indexOf('#');
            line.put("kind", ref < 0 ? kind : kind.substring(0, ref));
            if (ref >= 0) {
                line.put("ref", kind.substring(ref + 1));
            }
            line.put("status", mail.get("status"));
            line.put("sentAt", mail.get("sentAt"));
            mails.add(line);
        }
        body.put("mails", mails);
        List<Map<String, Object>> actions = new ArrayList<>();
        for (AdminAction action : trail.of(subject(orderId))) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("at", action.at().toString());
            line.put("by", person(action.actorName()));
            line.put("action", action.action());
            line.put("before", action.before());
            line.put("after", action.after());
            actions.add(line);
        }
        body.put("trail", actions);
        return body;
    }

    /** A copy of {@code record} with its {@code by} (a shipment's {@code correctedBy} too) named by the sign-in address. */
    private Map<String, Object> named(Map<?, ?> record) {
        Map<String, Object> copy = new LinkedHashMap<>();
        record.forEach((key, value) -> copy.put(String.valueOf(key), value));
        for (String who : List.of("by", "correctedBy")) {
            if (copy.get(who) instanceof String by) {
                copy.put(who, person(by));
            }
        }
        return copy;
    }

    private String person(String username) {
        if (username == null || Refund.BY_DASHBOARD.equals(username) || Refund.BY_BACK_OFFICE.equals(username)
                || Order.EMAIL_CHANGED_BY_CUSTOMER.equals(username)) {
            return username;
        }
        return names.signInAddress(username).orElse(username);
    }

    /** The live order; 404 for an id that is not an order's or names no live order. */
    Map<String, Object> existing(String orderId) {
        if (orderId == null || !orderId.matches("cs_[A-Za-z0-9_]{1,200}")) {
            throw new NotFoundException("There is no order with this id.");
        }
        return book.find(orderId).orElseThrow(() -> new NotFoundException("There is no order with this id."));
    }

    /** The audit line lives as long as the order it touches. */
    static long expiresAt(Map<String, Object> order, Clock clock) {
        return order.get(RetentionSchedule.TTL_ATTRIBUTE) instanceof Number n
                ? n.longValue() : RetentionSchedule.ORDER_PAID.expiresAt(clock.instant());
    }

    static String subject(String orderId) {
        return "ORDER#" + orderId;
    }
}
