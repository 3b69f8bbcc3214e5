package shop.webhook;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import shop.commerce.orders.Dispute;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderAccount;
import shop.commerce.orders.OrderAccounts;
import shop.commerce.orders.OrderEvents;
import shop.commerce.orders.OrderMessage;
import shop.commerce.orders.OrderNumber;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.OrderStep;
import shop.commerce.orders.OrderStore;
import shop.commerce.orders.PaidOrders;
import shop.commerce.orders.Refund;
import shop.commerce.reservations.Reservation;
import shop.commerce.reservations.StockReservations;
import shop.core.email.EmailAddress;
import shop.core.logging.Log;
import shop.core.privacy.DeactivatedAddresses;
import shop.core.retention.RetentionRule;
import shop.core.retention.RetentionSchedule;

/**
 * Orders through their life, driven by the session as Stripe holds it now. Every method may run
 * twice at once or again after a stop: the order is created with a conditional put and moves only
 * forward; a payment is one transaction with the sale of its stock and its day count
 * ({@link PaidOrders}), a failure or an expiry gives the stock back in one transaction; the
 * message that must follow (SQS cannot join a DynamoDB transaction) is sent after the commit and
 * noted as done on the order, so a retry sends it if a stop came in between.
 */
public final class OrderLifecycle {
    /** Enough for two deliveries racing one order; a third pass finding it changed again means something else is wrong. */
    private static final int PAID_ATTEMPTS = 3;

    private final OrderStore orders;
    private final OrderAccounts accounts;
    private final StockReservations stock;
    private final PaidOrders paidOrders;
    private final OrderEvents events;
    private final DeactivatedAddresses deactivated;
    private final Clock clock;

    public OrderLifecycle(OrderStore orders, OrderAccounts accounts, StockReservations stock, PaidOrders paidOrders,
                          OrderEvents events, DeactivatedAddresses deactivated, Clock clock) {
        this.orders = orders;
        this.accounts = accounts;
        this.stock = stock;
        this.paidOrders = paidOrders;
        this.events = events;
        this.deactivated = deactivated;
        this.clock = clock;
    }

    /** checkout.session.completed and async_payment_succeeded: PAID when the money is there, else PENDING_PAYMENT. */
    public Optional<Order> checkoutCompleted(CheckoutSnapshot session) {
        if (!complete(session)) {
            return Optional.empty();
        }
        return checkoutCompleted(session, orders.find(session.id()));
    }

    /**
     * {@code existing}: the order as the caller just read it. The reservation read to judge the
     * session is the one its sale is written from: read once.
     */
    private Optional<Order> checkoutCompleted(CheckoutSnapshot session, Optional<Order> existing) {
        Optional<Reservation> reservation = Optional.empty();
        if (existing.isEmpty() || existing.get().status() == OrderStatus.NEEDS_ATTENTION) {
            // Judged once, when the order is first recorded; a later event finds it as it was left.
            reservation = session.reservationId() == null ? Optional.empty() : stock.find(session.reservationId());
            Optional<String> problem = problem(session, reservation);
            if (problem.isPresent()) {
                return Optional.of(needsAttention(session, problem.get(), existing, reservation));
            }
        }
        Order order = session.paid() ? ensurePaid(session, existing, reservation)
                : ensure(session, OrderStatus.PENDING_PAYMENT);
        switch (order.status()) {
            case PAID, SHIPPED, REFUNDED -> completePaid(order);
            case PENDING_PAYMENT -> {
                if (order.reservationId() != null) {
                    stock.keepWhilePaymentPending(order.reservationId());
                }
            }
            case FAILED -> Log.warn("order_completed_after_failure", Map.of("orderId", order.id()));
            case NEEDS_ATTENTION -> {
                if (order.isDone(OrderStep.ATTENTION_MAIL)) {
                    Log.warn("order_needs_attention", Map.of("orderId", order.id()));
                } else {
                    // Nothing wrong with the session as it stands: its payment found the stock no longer held,
                    // or a retry after a stop finds it as the first delivery recorded it (with its reason).
                    Log.warn("order_needs_attention", Map.of("orderId", order.id(), "orderNumber", order.number(),
                            "reason", order.attentionReason()));
                    attentionMail(order);
                }
            }
        }
        return Optional.of(order);
    }

    private static boolean complete(CheckoutSnapshot session) {
        if (!session.complete()) {
            // Nothing Stripe will ever change by retrying: noted, and the event is done.
            Log.warn("completion_for_incomplete_session_ignored", Map.of("sessionId", session.id(),
                    "status", String.valueOf(session.status())));
            return false;
        }
        return true;
    }

    /**
     * The order a refund or a dispute is about, with what happened to its money, read once:
     * recorded first as {@link #checkoutCompleted} does if the refund or dispute came before we
     * saw the payment. What follows writes on this account and takes the order as each write
     * answers it, so the event reads its order only here.
     */
    private Optional<OrderAccount> paidAccount(CheckoutSnapshot session) {
        if (!complete(session)) {
            return Optional.empty();
        }
        Optional<OrderAccount> read = accounts.find(session.id());
        return checkoutCompleted(session, read.map(OrderAccount::order))
                .map(order -> read.map(account -> account.withOrder(order)).orElseGet(() -> OrderAccount.of(order)));
    }

    /**
     * Why a completed session is not an order this shop's checkout made as it stands, if it is
     * not: it must name a reservation ({@code metadata.reservation_id}), that reservation must
     * name this session, Stripe's amounts must be what the reservation priced, and the address it
     * was paid with must not be deactivated. {@code reservation}: the one it names, as read.
     */
    private Optional<String> problem(CheckoutSnapshot session, Optional<Reservation> reservation) {
        if (session.reservationId() == null) {
            return Optional.of("no_reservation"); // a Payment Link, the Dashboard, another integration
        }
        if (reservation.isEmpty()) {
            return Optional.of("unknown_reservation");
        }
        if (!reservation.get().sessionId().equals(Optional.of(session.id()))) {
            return Optional.of("other_session");
        }
        Reservation.Priced priced = reservation.get().priced();
        if (priced != null && !pricedAsReserved(session, priced)) {
            return Optional.of("other_amount");
        }
        if (session.customerEmail() != null && deactivated(session.customerEmail())) {
            return Optional.of("deactivated_email");
        }
        return Optional.empty();
    }

    /**
     * The currency, the lines' subtotal and the shipping as priced; the total too, unless Stripe
     * added tax or took a promotion code off (the owner's TaxMode and AllowPromotionCodes).
     */
    private static boolean pricedAsReserved(CheckoutSnapshot session, Reservation.Priced priced) {
        var totals = session.totals();
        if (totals == null || !totals.currency().equalsIgnoreCase(priced.currency())
                || totals.subtotal().amount() != priced.subtotal() || totals.shipping().amount() != priced.shipping()) {
            return false;
        }
        boolean adjusted = totals.tax().amount() != 0 || totals.discount().amount() != 0;
        return adjusted || totals.total().amount() == priced.subtotal() + priced.shipping();
    }

    private boolean deactivated(String email) {
        try {
            return deactivated.deactivated(EmailAddress.parse("email", email));
        } catch (RuntimeException notAnAddress) {
            return false;
        }
    }

    /**
     * The order recorded as NEEDS_ATTENTION, with {@code reason} in the same write, and the owner's
     * mail queued, once. Only a session bound to its own reservation (paid with a deactivated
     * address) sells that reservation's stock, in the paid order's transaction; any other takes no
     * stock at all, so a piece another checkout holds is never sold twice. {@code reservation}: the
     * session's, as {@link #problem} read it.
     */
    private Order needsAttention(CheckoutSnapshot session, String reason, Optional<Order> existing,
                                 Optional<Reservation> reservation) {
        Order order;
        if (existing.isPresent()) {
            order = existing.get(); // recorded before: a create would be refused, and this is the order as it is
        } else {
            Instant now = clock.instant();
            boolean bound = reason.equals("deactivated_email");
            Order fresh = fresh(session, OrderStatus.NEEDS_ATTENTION, now, bound ? session.reservationId() : null, reason);
            long expiresAt = RetentionSchedule.ORDER_PAID.expiresAt(now);
            boolean recorded = bound && session.paid()
                    ? paidOrders.record(fresh, false, expiresAt, reservation) != PaidOrders.Outcome.NOT_RECORDED
                    : orders.create(fresh, expiresAt);
            order = current(session.id());
            if (recorded) {
                // The reason as written: stock_not_held when the bound reservation no longer held the piece.
                Log.warn("order_needs_attention", Map.of("orderId", order.id(), "orderNumber", order.number(),
                        "reason", String.valueOf(order.attentionReason())));
            }
        }
        if (order.status() == OrderStatus.NEEDS_ATTENTION && !order.isDone(OrderStep.ATTENTION_MAIL)) {
            attentionMail(order);
        }
        return order;
    }

    /**
     * The owner's mail queued for the reason the order records (so the mail and the back office say
     * the same; the notification's claim makes it one mail per order and reason); then noted, so a
     * retry skips it.
     */
    private void attentionMail(Order order) {
        events.publish(new OrderMessage(OrderMessage.Type.ORDER_NEEDS_ATTENTION, order.id(), order.attentionReason()));
        orders.markDone(order.id(), OrderStep.ATTENTION_MAIL);
    }

    /** Whether the session's metadata names a reservation that names this session back. */
    private boolean boundToItsReservation(CheckoutSnapshot session) {
        return session.reservationId() != null && stock.find(session.reservationId())
                .map(r -> r.sessionId().equals(Optional.of(session.id()))).orElse(false);
    }

    /** async_payment_failed: the order fails (unless it was paid meanwhile), the stock goes back, the customer is told. */
    public Order paymentFailed(CheckoutSnapshot session) {
        Order order = ensure(session, OrderStatus.FAILED);
        if (order.status() != OrderStatus.FAILED || order.isDone(OrderStep.FAILURE_EFFECTS)) {
            return order;
        }
        if (order.reservationId() != null && boundToItsReservation(session)) {
            stock.release(order.reservationId());
        }
        events.publish(new OrderMessage(OrderMessage.Type.PAYMENT_FAILED, order.id()));
        orders.markDone(order.id(), OrderStep.FAILURE_EFFECTS);
        Log.info("order_payment_failed", Map.of("orderId", order.id(), "orderNumber", order.number()));
        return order;
    }

    /** checkout.session.expired: the held stock goes back. Releasing twice gives back nothing more. */
    public void expired(CheckoutSnapshot session) {
        if (!session.expired()) {
            Log.warn("expiry_for_live_session_ignored", Map.of("sessionId", session.id(), "status", String.valueOf(session.status())));
            return;
        }
        // Only the reservation that names this session: another session's metadata cannot free a piece.
        if (boundToItsReservation(session)) {
            stock.release(session.reservationId());
        }
    }

    /**
     * charge.refunded: records each of the charge's refunds by its Stripe id (one the back office
     * made and recorded already is not counted again), a full refund makes the order REFUNDED, and
     * the customer's refund mail is queued once per refund. No piece goes back on sale: the owner
     * decides that in the back office.
     */
    public void refunded(CheckoutSnapshot session, ChargeSnapshot charge, List<RefundSnapshot> refunds) {
        // The refund may come before we saw the payment: the order is recorded first.
        Optional<OrderAccount> paid = paidAccount(session);
        if (paid.isEmpty()) {
            return;
        }
        OrderAccount account = paid.get();
        Order order = account.order();
        for (RefundSnapshot refund : refunds) {
            if (!refund.returnsMoney() || refund.amount() <= 0) {
                continue;
            }
            Refund record = new Refund(refund.id(), refund.amount(),
                    refund.currency() == null ? order.totals().currency() : refund.currency(), refund.reason(), null,
                    refund.created() > 0 ? Instant.ofEpochSecond(refund.created()) : clock.instant(),
                    refund.requestKey() == null ? Refund.BY_DASHBOARD : Refund.BY_BACK_OFFICE, false,
                    refund.requestKey());
            OrderAccounts.Change change = accounts.addRefund(account, record);
            if (change.made()) {
                Log.info("order_refund_recorded", Map.of("orderId", order.id(), "refundId", refund.id(),
                        "amount", refund.amount(), "by", record.by()));
            }
            if (change.account().isEmpty()) {
                return; // gone since: nobody left to write to
            }
            account = change.account().get();
        }
        queueRefundMails(account);
        if (charge.fullyRefunded()) {
            Log.info("order_refunded", Map.of("orderId", order.id(), "amountRefunded", charge.amountRefunded()));
        }
    }

    /**
     * The customer's mail for every recorded refund not queued yet (none for one Stripe failed); then
     * noted, so a retry queues no more.
     */
    private void queueRefundMails(OrderAccount account) {
        for (Refund refund : account.refunds()) {
            if (!refund.failed() && !account.mailQueued(refund.stripeRefundId())) {
                events.publish(new OrderMessage(OrderMessage.Type.ORDER_REFUNDED, account.order().id(),
                        refund.stripeRefundId()));
                accounts.markMailQueued(account.order().id(), refund.stripeRefundId());
            }
        }
    }

    /**
     * charge.refund.updated with the refund failed or canceled ({@code refund}, as Stripe holds it
     * now): recorded on the order's entry of it (or as a failed entry when none was recorded yet), its
     * amount out of what the order counts as refunded, the order flagged for the owner, and the
     * owner's mail queued once per refund, whichever delivery comes first and however often.
     */
    public void refundFailed(CheckoutSnapshot session, RefundSnapshot refund) {
        if (refund.returnsMoney() || refund.amount() <= 0) {
            return;
        }
        Optional<OrderAccount> paid = paidAccount(session);
        if (paid.isEmpty()) {
            return;
        }
        Order order = paid.get().order();
        Instant now = clock.instant();
        Refund failed = new Refund(refund.id(), refund.amount(),
                refund.currency() == null ? order.totals().currency() : refund.currency(), refund.reason(), null,
                refund.created() > 0 ? Instant.ofEpochSecond(refund.created()) : now,
                refund.requestKey() == null ? Refund.BY_DASHBOARD : Refund.BY_BACK_OFFICE, false, refund.requestKey(),
                refund.status(), failureCode(refund.failureReason()), now);
        OrderAccounts.Change change = accounts.recordRefundFailure(paid.get(), failed);
        if (change.made()) {
            Log.warn("order_refund_failed", Map.of("orderId", order.id(), "refundId", refund.id(),
                    "amount", refund.amount(), "status", refund.status(),
                    "failureReason", String.valueOf(failed.failureReason()),
                    "orderStatus", change.account().map(a -> a.order().status().name()).orElse("gone")));
        }
        if (change.account().isEmpty()) {
            return; // gone since: nobody left to write to
        }
        OrderAccount account = change.account().get();
        String ref = FAILED_MAIL_PREFIX + refund.id();
        if (account.refund(refund.id()).filter(Refund::failed).isPresent() && !account.mailQueued(ref)) {
            events.publish(new OrderMessage(OrderMessage.Type.REFUND_FAILED, order.id(), refund.id()));
            accounts.markMailQueued(order.id(), ref);
        }
    }

    /** The order's {@code mailsQueued} note of a failed refund's mail (the refund id alone notes the customer's). */
    static final String FAILED_MAIL_PREFIX = "failed:";

    /** Stripe's failure_reason is a code: anything else is stored, shown and mailed as {@code unknown}. */
    private static String failureCode(String reason) {
        return reason == null ? null : reason.matches("[a-z0-9_]{1,64}") ? reason : "unknown";
    }

    /**
     * charge.dispute.created, updated or closed: the dispute as Stripe holds it now is recorded on
     * the order (open: needs attention; closed: the outcome), and the owner's mail is queued once
     * per dispute, whichever event comes first.
     */
    public void disputed(CheckoutSnapshot session, DisputeSnapshot snapshot) {
        Optional<OrderAccount> paid = paidAccount(session);
        if (paid.isEmpty()) {
            return;
        }
        Order order = paid.get().order();
        Instant now = clock.instant();
        Dispute dispute = Dispute.of(snapshot.id(), snapshot.reason(), snapshot.status(), snapshot.amount(),
                snapshot.currency() == null ? order.totals().currency() : snapshot.currency(),
                snapshot.evidenceDueBy() == null ? null : Instant.ofEpochSecond(snapshot.evidenceDueBy()),
                snapshot.created() > 0 ? Instant.ofEpochSecond(snapshot.created()) : now, now);
        OrderAccount account = accounts.recordDispute(paid.get(), dispute, now).account().orElseThrow();
        Log.info("order_dispute_recorded", Map.of("orderId", order.id(), "disputeId", dispute.id(),
                "status", dispute.status()));
        if (account.dispute() != null && !account.mailQueued(account.dispute().id())) {
            events.publish(new OrderMessage(OrderMessage.Type.DISPUTE_OPENED, order.id(), account.dispute().id()));
            accounts.markMailQueued(order.id(), account.dispute().id());
        }
    }

    /**
     * The order for this session, paid: recorded with its sale and its count in one transaction
     * unless it is already past PENDING_PAYMENT; NEEDS_ATTENTION instead, with no sale, when its
     * reservation no longer held the stock (the piece may have been sold to someone else since).
     * The first attempt starts from {@code read}, the order as the caller just read it, and
     * {@code reservation}, its reservation if the caller read it (empty: the sale reads it); a
     * transaction refused because a concurrent delivery changed the order first is tried again
     * from what is stored now.
     */
    private Order ensurePaid(CheckoutSnapshot session, Optional<Order> read, Optional<Reservation> reservation) {
        for (int attempt = 0; attempt < PAID_ATTEMPTS; attempt++) {
            Optional<Order> existing = attempt == 0 ? read : orders.find(session.id());
            if (existing.isPresent() && existing.get().status() != OrderStatus.PENDING_PAYMENT) {
                return existing.get();
            }
            Instant now = clock.instant();
            Order paid = existing.map(pending -> paid(pending, now)).orElseGet(() -> fresh(session, OrderStatus.PAID, now));
            PaidOrders.Outcome outcome = paidOrders.record(paid, existing.isPresent(),
                    RetentionSchedule.ORDER_PAID.expiresAt(now), attempt == 0 ? reservation : Optional.empty());
            if (outcome != PaidOrders.Outcome.NOT_RECORDED) {
                Order recorded = outcome == PaidOrders.Outcome.RECORDED ? paid : paid.stockNotHeld();
                Log.info(existing.isPresent() ? "order_status_changed" : "order_recorded", Map.of("orderId", paid.id(),
                        "orderNumber", paid.number(), "status", recorded.status().name(), "lines", paid.items().size()));
                return recorded;
            }
        }
        throw new IllegalStateException("Order " + session.id() + " kept changing while it was being recorded as paid");
    }

    private static Order paid(Order pending, Instant now) {
        return new Order(pending.id(), pending.number(), OrderStatus.PAID, pending.reservationId(),
                pending.customerName(), pending.customerEmail(), pending.shipping(), pending.billing(), pending.items(),
                pending.totals(), pending.amountRefunded(), pending.paymentIntentId(), pending.livemode(),
                pending.createdAt(), now, pending.done(), pending.attentionReason());
    }

    private Order fresh(CheckoutSnapshot session, OrderStatus status, Instant now) {
        return fresh(session, status, now, session.reservationId(), null);
    }

    private Order fresh(CheckoutSnapshot session, OrderStatus status, Instant now, String reservationId,
                        String attentionReason) {
        return new Order(session.id(), OrderNumber.of(session.id()), status, reservationId,
                session.customerName(), session.customerEmail(), session.shipping(), session.billing(), session.items(),
                session.totals(), 0, session.paymentIntentId(), session.livemode(), now,
                status == OrderStatus.PAID ? now : null, Set.of(), attentionReason);
    }

    /** The order for this session in (at least) {@code target} (PENDING_PAYMENT or FAILED), created or moved forward as needed. */
    private Order ensure(CheckoutSnapshot session, OrderStatus target) {
        Instant now = clock.instant();
        Order fresh = fresh(session, target, now);
        if (orders.create(fresh, retention(target).expiresAt(now))) {
            Log.info("order_recorded", Map.of("orderId", fresh.id(), "orderNumber", fresh.number(),
                    "status", target.name(), "lines", fresh.items().size()));
            return fresh;
        }
        Order existing = current(session.id());
        Set<OrderStatus> from = EnumSet.noneOf(OrderStatus.class);
        if (target == OrderStatus.FAILED) {
            from.add(OrderStatus.PENDING_PAYMENT);
        }
        if (from.contains(existing.status())
                && orders.transition(session.id(), from, target, now, retention(target).expiresAt(now))) {
            Log.info("order_status_changed", Map.of("orderId", existing.id(), "from", existing.status().name(),
                    "to", target.name()));
        }
        // Read back rather than assume: a concurrent delivery may have moved it too.
        return current(session.id());
    }

    private Order current(String id) {
        return orders.find(id).orElseThrow(() -> new IllegalStateException(
                "Order " + id + " exists but cannot be read (expired before its record was removed?)"));
    }

    /** The mails queued (the sale and the count came with the PAID status); then noted, so a duplicate skips it. */
    private void completePaid(Order order) {
        if (order.isDone(OrderStep.PAID_EFFECTS)) {
            return;
        }
        events.publish(new OrderMessage(OrderMessage.Type.ORDER_PAID, order.id()));
        orders.markDone(order.id(), OrderStep.PAID_EFFECTS);
        Log.info("order_paid", Map.of("orderId", order.id(), "orderNumber", order.number(),
                "amountTotal", order.totals().total().amount(), "currency", order.totals().currency(),
                "country", String.valueOf(order.country())));
    }

    private static RetentionRule retention(OrderStatus status) {
        return status == OrderStatus.PAID || status == OrderStatus.SHIPPED || status == OrderStatus.REFUNDED
                || status == OrderStatus.NEEDS_ATTENTION ? RetentionSchedule.ORDER_PAID : RetentionSchedule.ORDER_UNPAID;
    }
}
