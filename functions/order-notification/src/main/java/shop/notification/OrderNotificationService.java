package shop.notification;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import shop.commerce.orders.Dispute;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderAccount;
import shop.commerce.orders.OrderAccounts;
import shop.commerce.orders.OrderMessage;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.OrderStore;
import shop.commerce.orders.Refund;
import shop.commerce.orders.Shipment;
import shop.core.email.EmailAddress;
import shop.core.logging.Log;
import shop.core.mail.Email;
import shop.core.mail.Mailer;

/**
 * Mails the customer and the shop about an order, each mail at most once per order however
 * often the message comes. A mail that cannot be sent throws: the message returns to the queue,
 * and after 5 receives it rests in the dead-letter queue, where nothing is lost.
 */
public final class OrderNotificationService {
    /** Longer than the function may run (30 s): a claim this old has no live holder. */
    static final Duration CLAIM_STALE_AFTER = Duration.ofMinutes(2);

    private final OrderStore orders;
    private final Shipments shipments;
    private final OrderAccounts accounts;
    private final MailClaims claims;
    private final Mailer mailer;
    private final OrderMails mails;
    private final EmailAddress ownerAddress;
    private final Clock clock;

    public OrderNotificationService(OrderStore orders, Shipments shipments, OrderAccounts accounts, MailClaims claims,
                                    Mailer mailer, OrderMails mails, EmailAddress ownerAddress, Clock clock) {
        this.orders = orders;
        this.shipments = shipments;
        this.accounts = accounts;
        this.claims = claims;
        this.mailer = mailer;
        this.mails = mails;
        this.ownerAddress = ownerAddress;
        this.clock = clock;
    }

    public void handle(OrderMessage message) {
        Optional<Order> found = orders.find(message.orderId());
        if (found.isEmpty()) {
            // Erased or expired since: there is nobody left to write to.
            Log.warn("order_notification_without_order", Map.of("orderId", message.orderId()));
            return;
        }
        Order order = found.get();
        switch (message.type()) {
            case ORDER_PAID -> {
                customer(order).ifPresent(to -> sendOnce(order, MailKind.CUSTOMER_CONFIRMATION,
                        address -> mails.customerConfirmation(address, order), to));
                sendOnce(order, MailKind.OWNER_NOTIFICATION, address -> mails.ownerNotification(address, order), ownerAddress);
            }
            case PAYMENT_FAILED -> customer(order).ifPresent(to -> sendOnce(order, MailKind.CUSTOMER_PAYMENT_FAILED,
                    address -> mails.paymentFailed(address, order), to));
            case ORDER_SHIPPED -> shipped(order);
            case SHIPMENT_CORRECTED -> corrected(order, message.ref());
            case SHIPPING_ADDRESS_CHANGED -> addressChanged(order, message.ref());
            case ORDER_EMAIL_CHANGED -> emailChanged(order, message.ref());
            case ORDER_REFUNDED -> refunded(message);
            case DISPUTE_OPENED -> disputed(message);
            case REFUND_FAILED -> refundFailed(message);
            case ORDER_NEEDS_ATTENTION -> sendOnce(order, MailKind.OWNER_ATTENTION, message.ref(),
                    address -> mails.ownerAttention(address, order, message.ref()), ownerAddress);
        }
    }

    /** Only for an order that is SHIPPED with its shipment recorded: a stray message mails nobody. */
    private void shipped(Order order) {
        Optional<Shipment> shipment = shipments.of(order.id());
        if (order.status() != OrderStatus.SHIPPED || shipment.isEmpty()) {
            Log.warn("order_shipped_message_without_shipment", Map.of("orderId", order.id(),
                    "status", order.status().name()));
            return;
        }
        customer(order).ifPresent(to -> sendOnce(order, MailKind.ORDER_SHIPPED,
                address -> mails.shipped(address, order, shipment.get()), to));
    }

    /**
     * The customer's mail with the corrected tracking link, once per correction, only while that
     * correction is the shipment's latest: a later one's own message mails the link as it is then.
     */
    private void corrected(Order order, String correction) {
        Optional<Shipment> shipment = shipments.of(order.id());
        if (order.status() != OrderStatus.SHIPPED || shipment.isEmpty()
                || !Integer.toString(shipment.get().corrections()).equals(correction)) {
            Log.warn("shipment_corrected_message_not_latest", Map.of("orderId", order.id(),
                    "status", order.status().name(), "correction", correction,
                    "corrections", shipment.map(Shipment::corrections).orElse(0)));
            return;
        }
        customer(order).ifPresent(to -> sendOnce(order, MailKind.SHIPMENT_CORRECTED, correction,
                address -> mails.shipmentCorrected(address, order, shipment.get()), to));
    }

    /**
     * The customer's mail saying the back office changed the order's shipping address at their request, with the
     * address as it is now; once per change, only while that change is the order's latest (a later one's own message
     * mails the address as it is then). An order erased on request has no address to mail.
     */
    private void addressChanged(Order order, String change) {
        int latest = shipments.addressChanges(order.id());
        if (!Integer.toString(latest).equals(change)) {
            Log.warn("address_change_message_not_latest", Map.of("orderId", order.id(), "change", change,
                    "changes", latest));
            return;
        }
        if (order.shipping() == null) {
            // Its address removed since (an erasure that waited for the shipment): nothing left to tell.
            Log.warn("address_change_message_without_address", Map.of("orderId", order.id()));
            return;
        }
        customer(order).ifPresent(to -> sendOnce(order, MailKind.SHIPPING_ADDRESS_CHANGED, change,
                address -> mails.shippingAddressChanged(address, order), to));
    }

    /**
     * The order's mail again, to the customer email the back office corrected after the order's mail bounced from the
     * address typed at the checkout: once per correction, only while that correction is the order's latest (a later
     * one's own message mails the address as it is then). Nothing goes to the old address: it bounced, or is someone
     * else's. A shipped order's mail carries its carrier and tracking link.
     */
    private void emailChanged(Order order, String change) {
        int latest = shipments.emailChanges(order.id());
        if (!Integer.toString(latest).equals(change)) {
            Log.warn("email_change_message_not_latest", Map.of("orderId", order.id(), "change", change,
                    "changes", latest));
            return;
        }
        Optional<Shipment> shipment = order.status() == OrderStatus.SHIPPED ? shipments.of(order.id()) : Optional.empty();
        customer(order).ifPresent(to -> sendOnce(order, MailKind.EMAIL_CHANGED, change,
                address -> mails.emailCorrected(address, order, shipment), to));
    }

    /** The customer's mail about one refund, read from the order's record of it. */
    private void refunded(OrderMessage message) {
        Optional<OrderAccount> account = accounts.find(message.orderId());
        Optional<Refund> refund = account.flatMap(a -> a.refund(message.ref()));
        if (refund.isPresent() && refund.get().failed()) {
            // Stripe failed it before this mail went: the customer is not told of money they will not get.
            Log.warn("refund_mail_for_failed_refund", Map.of("orderId", message.orderId(), "refundId", message.ref()));
            return;
        }
        if (refund.isEmpty()) {
            // Queued only after the refund was recorded: the order was erased or expired since.
            Log.warn("refund_mail_without_refund", Map.of("orderId", message.orderId(), "refundId", message.ref()));
            return;
        }
        Order order = account.get().order();
        customer(order).ifPresent(to -> sendOnce(order, MailKind.ORDER_REFUNDED, refund.get().stripeRefundId(),
                address -> mails.refunded(address, order, refund.get()), to));
    }

    /** The owner's mail about a refund Stripe failed or canceled, once per refund, only while the order records it so. */
    private void refundFailed(OrderMessage message) {
        Optional<OrderAccount> account = accounts.find(message.orderId());
        Optional<Refund> refund = account.flatMap(a -> a.refund(message.ref())).filter(Refund::failed);
        if (refund.isEmpty()) {
            Log.warn("refund_failed_mail_without_failed_refund", Map.of("orderId", message.orderId(),
                    "refundId", message.ref()));
            return;
        }
        Order order = account.get().order();
        sendOnce(order, MailKind.OWNER_REFUND_FAILED, refund.get().stripeRefundId(),
                address -> mails.ownerRefundFailed(address, order, refund.get()), ownerAddress);
    }

    /** The owner's mail about a dispute, with the evidence deadline, once per dispute. */
    private void disputed(OrderMessage message) {
        Optional<OrderAccount> account = accounts.find(message.orderId());
        Optional<Dispute> dispute = account.map(OrderAccount::dispute).filter(d -> d.id().equals(message.ref()));
        if (dispute.isEmpty()) {
            Log.warn("dispute_mail_without_dispute", Map.of("orderId", message.orderId(), "disputeId", message.ref()));
            return;
        }
        Order order = account.get().order();
        sendOnce(order, MailKind.OWNER_DISPUTE, dispute.get().id(),
                address -> mails.ownerDispute(address, order, dispute.get()), ownerAddress);
    }

    private void sendOnce(Order order, MailKind kind, Function<EmailAddress, Email> mail, EmailAddress to) {
        sendOnce(order, kind, null, mail, to);
    }

    private void sendOnce(Order order, MailKind kind, String ref, Function<EmailAddress, Email> mail, EmailAddress to) {
        Instant now = clock.instant();
        String token = UUID.randomUUID().toString();
        switch (claims.claim(order.id(), kind, ref, token, now, now.minus(CLAIM_STALE_AFTER))) {
            case ALREADY_SENT -> {
                Log.info("order_mail_already_sent", Map.of("orderId", order.id(), "mail", kind.name()));
                return;
            }
            case HELD_ELSEWHERE -> {
                Log.info("order_mail_in_progress_elsewhere", Map.of("orderId", order.id(), "mail", kind.name()));
                return;
            }
            case CLAIMED -> {
                // go on
            }
        }
        String messageId;
        try {
            messageId = mailer.send(mail.apply(to));
        } catch (RuntimeException e) {
            claims.release(order.id(), kind, ref, token);
            throw e;
        }
        try {
            claims.markSent(order.id(), kind, ref, messageId, clock.instant());
        } catch (RuntimeException e) {
            // SES has the mail: failing the message now would only send it again once the claim goes
            // stale. The claim stays, so no other message sends it within CLAIM_STALE_AFTER either.
            Log.error("order_mail_sent_not_recorded", Map.of("orderId", order.id(), "mail", kind.name(),
                    "messageId", messageId, "exception", e.getClass().getName()));
            return;
        }
        Log.info("order_mail_sent", Map.of("orderId", order.id(), "orderNumber", order.number(), "mail", kind.name(),
                "messageId", messageId));
    }

    private static Optional<EmailAddress> customer(Order order) {
        if (order.customerEmail() == null) {
            Log.warn("order_without_customer_email", Map.of("orderId", order.id()));
            return Optional.empty();
        }
        try {
            return Optional.of(new EmailAddress(order.customerEmail()));
        } catch (IllegalArgumentException e) {
            // Stripe accepted an address our stricter check does not: the owner's mail still names it.
            Log.warn("order_customer_email_not_mailable", Map.of("orderId", order.id()));
            return Optional.empty();
        }
    }
}
