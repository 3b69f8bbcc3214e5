package shop.adminrefunds;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import shop.commerce.Money;
import shop.commerce.StripeCurrency;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderAccount;
import shop.commerce.orders.OrderAccounts;
import shop.commerce.orders.OrderEvents;
import shop.commerce.orders.OrderItem;
import shop.commerce.orders.OrderMessage;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.OrderStep;
import shop.commerce.orders.Refund;
import shop.core.admin.AdminAction;
import shop.core.admin.AdminCaller;
import shop.core.errors.ConflictException;
import shop.core.errors.InvalidInputException;
import shop.core.errors.NotFoundException;
import shop.core.json.Json;
import shop.core.logging.Log;

/**
 * Refunds an order through the payment provider and puts its pieces back on sale, for owners.
 * Everything is checked before the provider is called; the provider's idempotency key comes from
 * the order and the page's Idempotency-Key, so a double click or a retried request makes one
 * refund, and the order records it once by its Stripe id (as the {@code charge.refunded} echo
 * does). The customer's refund mail is queued once per refund; each piece goes back at most once,
 * line by line (the pieces the customer sent back, not those kept), each request judged on the
 * counts the page read.
 *
 * <p>Each request reads the order once, before the provider is called. The writes after it are
 * conditional on the order as read and answer the order as they leave it (or, when something
 * changed it meanwhile, as it now is), so the audit's "after", the mails and the answer come
 * from them without reading the order again.
 *
 * <p>Each change of the order is written together with its line of the audit trail (the service
 * says what the line holds, {@link OrderAccounts} writes both or neither): the refund's record,
 * and the restock's counts with the pieces going back. Stripe's refund itself comes before them and
 * cannot be part of that; a request stopped after it is sent again with the same Idempotency-Key,
 * and the repeat records what the first did not (see {@link #refund}).
 */
public final class RefundsService {
    /** Paid orders, and paid sessions that need the owner (the refund is usually what they need). */
    private static final Set<OrderStatus> REFUNDABLE = Set.of(OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.NEEDS_ATTENTION);

    private final OrderAccounts accounts;
    private final PaymentRefunds provider;
    private final OrderEvents events;
    private final Clock clock;

    public RefundsService(OrderAccounts accounts, PaymentRefunds provider, OrderEvents events, Clock clock) {
        this.accounts = accounts;
        this.provider = provider;
        this.events = events;
        this.clock = clock;
    }

    /** What a refund request ended in: the refund, whether this call made it, and the order after it. */
    public record Outcome(Refund refund, boolean created, boolean restocked, OrderAccount account) {
    }

    /**
     * Refunds {@code orderId} once per Idempotency-Key. A repeat of a request whose refund is
     * recorded answers it and records nothing more, but finishes a restock the first one asked for
     * and did not get to. A repeat of one stopped after Stripe made the refund and before its
     * record asks Stripe again (the same key answers the same refund) and records it with its
     * line; if Stripe's echo recorded it meanwhile, the repeat claims that entry with its line.
     */
    public Outcome refund(AdminCaller caller, String orderId, RefundRequest request, String idempotencyKey) {
        caller.requireOwner();
        String requestKey = RequestKeys.derive(orderId, idempotencyKey);
        // The one read of the order: the checks, the audit's "before", and what the writes expect to find.
        OrderAccount account = find(orderId);
        Order order = account.order();
        Optional<Refund> earlier = account.refundByRequestKey(requestKey);
        if (earlier.isPresent() && !Refund.BY_BACK_OFFICE.equals(earlier.get().by())) {
            // The same form again, its refund recorded (with its line): nothing new but what the first left undone.
            // Its lines are judged on the counts the form read: done by the first request, they differ now.
            boolean restocked = false;
            OrderAccount now = account;
            Map<String, Integer> pieces = earlier.get().restocked() ? stillToRestock(account, asked(request)) : Map.of();
            if (!pieces.isEmpty()) {
                OrderAccounts.Change marked = restock(caller, account, pieces);
                restocked = marked.made();
                now = marked.account().orElse(account);
            }
            return new Outcome(earlier.get(), false, restocked, queueMails(now));
        }
        PaymentRefunds.MadeRefund made;
        boolean restockNow;
        if (earlier.isPresent()) {
            // Only Stripe's echo recorded this form's refund: the first request stopped before its own record.
            Refund echoed = earlier.get();
            made = new PaymentRefunds.MadeRefund(echoed.stripeRefundId(), echoed.amount(), echoed.currency(), null);
            restockNow = request.restock() != null && !stillToRestock(account, request.restock()).isEmpty();
        } else {
            if (order.paymentIntentId() == null || !REFUNDABLE.contains(order.status())) {
                throw new ConflictException("Order " + order.number() + " is " + order.status().name().toLowerCase()
                        + (order.status() == OrderStatus.REFUNDED ? ": refunded in full already." : ": only a paid or shipped"
                        + " order, or one that needs attention, can be refunded."));
            }
            long left = account.refundable();
            long amount = request.amount() == null ? left : request.amount();
            if (left <= 0) {
                throw new ConflictException("Order " + order.number() + " has nothing left to refund.");
            }
            if (amount > left) {
                // In money, as the page shows it: "At most $185.00", never the minor units the API takes.
                String currency = order.totals().currency();
                throw new ConflictException("At most " + Money.of(left, currency).format() + " can still be refunded on"
                        + " order " + order.number() + "; " + Money.of(amount, currency).format() + " was asked.");
            }
            StripeCurrency counted = StripeCurrency.of(order.totals().currency());
            if (!counted.charges(amount)) {
                // Stripe refunds ISK and UGX in whole units and the three-decimal currencies in tens of their minor
                // unit, as it charges them: it would refuse 25,000.50 ISK after the owner pressed "Refund".
                long lower = counted.stepBelow(amount);
                String currency = counted.code();
                throw new InvalidInputException("amount", "Stripe refunds " + currency + " in steps of "
                        + Money.of(counted.step(), currency).format() + ": " + Money.of(amount, currency).format()
                        + " cannot be refunded; use " + (lower > 0 ? Money.of(lower, currency).format() + " or " : "")
                        + Money.of(Math.min(lower + counted.step(), left), currency).format() + ".");
            }
            // The lines to put back are checked before Stripe is asked too: a bad or stale choice refunds nothing.
            restockNow = request.restock() != null && tookStock(order)
                    && !(request.restock().everything() ? account.notRestocked() : pieces(account, request.restock())).isEmpty();
            made = provider.create(order.paymentIntentId(), amount, request.reason(), orderId, requestKey);
        }
        Refund refund = new Refund(made.id(), made.amount(), made.currency(), request.reason(), request.note(),
                clock.instant(), caller.username(), restockNow, requestKey);
        // Written on the order as read; a refused write answers the order as it is now, so nothing is read again.
        // Stripe's charge.refunded echo may have recorded it first, without the owner's name and note: claim it.
        OrderAccounts.Change change = accounts.addRefund(account, refund, (before, after) ->
                refunded(caller, refund, before, after));
        if (!change.made() && change.account().isPresent()) {
            // The order before the refund is the one this request read, not the echo's record of the same refund.
            change = accounts.claimEchoedRefund(change.account().get(), refund, (echoed, after) ->
                    refunded(caller, refund, account, after));
        }
        OrderAccount after = change.account().orElseThrow(() -> new NotFoundException("There is no order with this id."));
        boolean recorded = change.made();
        Refund answered = refund;
        if (recorded) {
            Log.info("order_refunded_by_owner", Map.of("orderId", orderId, "refundId", refund.stripeRefundId(),
                    "amount", refund.amount(), "restock", restockNow));
        } else {
            // A second click won: the refund is recorded once, as it is.
            answered = after.refund(made.id()).orElse(refund);
        }
        boolean restocked = false;
        // Judged again on the order as the refund's write left it: a restock that came between puts nothing back twice.
        Map<String, Integer> pieces = restockNow ? stillToRestock(after, request.restock()) : Map.of();
        if (!pieces.isEmpty()) {
            OrderAccounts.Change marked = restock(caller, after, pieces);
            restocked = marked.made();
            after = marked.account().orElse(after);
        }
        return new Outcome(answered, recorded, restocked, queueMails(after));
    }

    /** The trail line of a recorded refund: the order's status and amount refunded before, and after with the refund. */
    private AdminAction refunded(AdminCaller caller, Refund refund, OrderAccount before, OrderAccount after) {
        return AdminAction.by(caller, "ORDER#" + before.order().id(), "order.refunded", refund.at(),
                Json.write(state(before)), Json.write(withRefund(state(after), refund)), expiry(after));
    }

    /** The owner puts every piece of a refunded order that is not back on sale yet back on sale. */
    public OrderAccount restock(AdminCaller caller, String orderId) {
        return restock(caller, orderId, RestockRequest.EVERYTHING);
    }

    /**
     * The owner puts pieces of a refunded order back on sale: the lines asked, each judged on the
     * counts the page read (or every piece not back yet). A SKU the order does not have, or more
     * pieces than are not back yet: 400. Counts that changed since the page read them (a double
     * press, a retried request, another owner): 409, nothing written; so no piece goes back twice.
     */
    public OrderAccount restock(AdminCaller caller, String orderId, RestockRequest request) {
        caller.requireOwner();
        OrderAccount account = find(orderId);
        if (account.order().amountRefunded() <= 0) {
            throw new ConflictException("Order " + account.order().number() + " is not refunded: its pieces are sold.");
        }
        if (!tookStock(account.order())) {
            throw new ConflictException("Order " + account.order().number() + " took no pieces from stock (its payment"
                    + " matched no checkout of this shop, or came after its pieces went back): there is nothing to put"
                    + " back on sale.");
        }
        Map<String, Integer> pieces = request.everything() ? account.notRestocked() : pieces(account, request);
        if (pieces.isEmpty()) {
            throw backOnSaleAlready(account);
        }
        OrderAccounts.Change marked = restock(caller, account, pieces);
        OrderAccount now = marked.account().orElseThrow(() -> new NotFoundException("There is no order with this id."));
        if (!marked.made()) {
            // Another restock wrote between this request's read and its write.
            throw now.notRestocked().isEmpty() ? backOnSaleAlready(now) : new ConflictException("The pieces back on sale"
                    + " of order " + now.order().number() + " changed while this was sent; reload the order and choose again.");
        }
        return now;
    }

    private static ConflictException backOnSaleAlready(OrderAccount account) {
        return new ConflictException("The pieces of order " + account.order().number() + " went back on sale already.");
    }

    /** The refund's choice, or for a repeat whose first request asked with the old boolean, every piece. */
    private static RestockRequest asked(RefundRequest request) {
        return request.restock() != null ? request.restock() : RestockRequest.EVERYTHING;
    }

    /**
     * {@code request}'s pieces, checked against the order: each SKU one of the order's (else 400),
     * its count as the page read it still the order's (else 409), and no more pieces than are not
     * back yet (else 400).
     */
    private static Map<String, Integer> pieces(OrderAccount account, RestockRequest request) {
        Map<String, Integer> ordered = account.ordered();
        String number = account.order().number();
        for (RestockRequest.Line line : request.lines()) {
            if (!ordered.containsKey(line.sku())) {
                throw new InvalidInputException("lines", "Order " + number + " has no piece with SKU " + line.sku() + ".");
            }
        }
        for (RestockRequest.Line line : request.lines()) {
            int back = account.restockedOf(line.sku());
            if (request.readOf(line.sku()) != back) {
                throw new ConflictException("Order " + number + " changed since the page read it: " + back + " of "
                        + ordered.get(line.sku()) + " pieces of " + line.sku() + " are back on sale now, the page read "
                        + request.readOf(line.sku()) + ". Reload the order and choose again.");
            }
        }
        Map<String, Integer> pieces = new LinkedHashMap<>();
        for (RestockRequest.Line line : request.lines()) {
            int left = ordered.get(line.sku()) - account.restockedOf(line.sku());
            if (line.quantity() > left) {
                throw new InvalidInputException("lines", left + " of the " + ordered.get(line.sku()) + " pieces of "
                        + line.sku() + " on order " + number + " can still go back on sale; " + line.quantity()
                        + " was asked.");
            }
            pieces.put(line.sku(), line.quantity());
        }
        return pieces;
    }

    /**
     * What a refund's restock still puts back on the order as it stands: nothing when the order took
     * no stock, when its lines were put back since the page read them (by this form's first request,
     * or another) or everything is back.
     */
    private static Map<String, Integer> stillToRestock(OrderAccount account, RestockRequest request) {
        if (!tookStock(account.order())) {
            return Map.of();
        }
        if (request.everything()) {
            return account.notRestocked();
        }
        try {
            return pieces(account, request);
        } catch (ConflictException | InvalidInputException changed) {
            return Map.of();
        }
    }

    /**
     * Whether the order's pieces left stock: a paid checkout sells its reservation; a paid session
     * that names no reservation of ours, or was paid after its reservation gave the pieces back
     * (NEEDS_ATTENTION, recorded without its reservation), took none, so giving them back would
     * make pieces out of nothing, unless the owner accepted it since, which took them then.
     */
    private static boolean tookStock(Order order) {
        return order.reservationId() != null || order.isDone(OrderStep.STOCK_TAKEN);
    }

    /**
     * Puts {@code pieces} back, counts them on the order and writes the line (the counts per SKU
     * before and after), all at once: made only by the call whose read of the counts still held, so
     * a piece never goes back twice nor without its line.
     */
    private OrderAccounts.Change restock(AdminCaller caller, OrderAccount account, Map<String, Integer> pieces) {
        Order order = account.order();
        Instant now = clock.instant();
        OrderAccounts.Change marked = accounts.restock(account, pieces, now, (before, after) -> {
            Map<String, Object> was = new LinkedHashMap<>();
            was.put("restockedPieces", before.restockedCounts());
            was.put("everythingBack", before.restockedAt() != null);
            Map<String, Object> is = new LinkedHashMap<>();
            is.put("restockedPieces", after.restockedCounts());
            is.put("everythingBack", after.restockedAt() != null);
            is.put("pieces", pieces);
            return AdminAction.by(caller, "ORDER#" + order.id(), "order.restocked", now, Json.write(was), Json.write(is),
                    expiry(after));
        });
        if (marked.made()) {
            Log.info("order_restocked", Map.of("orderId", order.id(), "lines", pieces.size(),
                    "pieces", pieces.values().stream().mapToInt(Integer::intValue).sum(),
                    "everythingBack", marked.account().map(a -> a.restockedAt() != null).orElse(false)));
        }
        return marked;
    }

    /**
     * The customer's mail for each recorded refund not queued yet (none for one Stripe failed since), then noted;
     * the account with them noted.
     */
    private OrderAccount queueMails(OrderAccount account) {
        OrderAccount noted = account;
        for (Refund refund : account.refunds()) {
            if (!refund.failed() && !account.mailQueued(refund.stripeRefundId())) {
                events.publish(new OrderMessage(OrderMessage.Type.ORDER_REFUNDED, account.order().id(),
                        refund.stripeRefundId()));
                accounts.markMailQueued(account.order().id(), refund.stripeRefundId());
                noted = noted.withMailQueued(refund.stripeRefundId());
            }
        }
        return noted;
    }

    private OrderAccount find(String orderId) {
        if (orderId == null || !orderId.matches("cs_[A-Za-z0-9_]{1,250}")) {
            throw new NotFoundException("There is no order with this id.");
        }
        return accounts.find(orderId).orElseThrow(() -> new NotFoundException("There is no order with this id."));
    }

    private static Map<String, Object> state(OrderAccount account) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("status", account.order().status().name());
        state.put("amountRefunded", account.order().amountRefunded());
        return state;
    }

    private static Map<String, Object> withRefund(Map<String, Object> state, Refund refund) {
        Map<String, Object> after = new LinkedHashMap<>(state);
        after.put("refund", Map.of("stripeRefundId", refund.stripeRefundId(), "amount", refund.amount(),
                "currency", refund.currency(), "reason", refund.reason(), "restock", refund.restocked()));
        return after;
    }

    private long expiry(OrderAccount account) {
        return account.expiresAt() > 0 ? account.expiresAt()
                : shop.core.retention.RetentionSchedule.ADMIN_AUDIT.expiresAt(clock.instant());
    }
}
