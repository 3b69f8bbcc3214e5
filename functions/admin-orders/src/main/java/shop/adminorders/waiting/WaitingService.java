package shop.adminorders.waiting;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import shop.adminorders.waiting.WaitingOrders.Listing;
import shop.adminorders.waiting.WaitingOrders.Order;
import shop.commerce.orders.OrderStatus;
import shop.core.email.EmailAddress;
import shop.core.logging.Log;
import shop.core.mail.DayClaims;
import shop.core.mail.Mailer;
import shop.core.mail.OnceADayMail;

/**
 * The owner's morning mail of what waits in the shop: open disputes (their evidence deadline is
 * what loses money when missed), orders paid and not shipped, and orders that need the owner.
 * Each list is one bounded read of its index; nothing waiting, no mail (a daily "nothing to do"
 * would teach the owner to ignore these mails). Once per UTC day ({@link OnceADayMail}): the day
 * is claimed before the mail is sent and marked sent after, so a schedule that fires twice, or the
 * retry of a run that mailed, mails nothing more.
 */
public final class WaitingService {
    /** A dispute whose evidence is due within this is marked, and listed first. */
    static final Duration DUE_SOON = Duration.ofDays(3);
    /** How many orders of each list the mail reads at most; the rest is "and others beyond those". */
    static final int READ_AT_MOST = 100;
    /** How many of each list the mail names; the rest of what was read it counts ("and 37 more"). */
    static final WaitingMail.Shown SHOWN = new WaitingMail.Shown(10, 5, 5);
    /**
     * Longer than the function may run (its Timeout, 30 s): a claim this old has no live holder. Shorter
     * than the time to Lambda's second retry of a failed scheduled run (about 3 minutes), so that retry
     * takes over the claim of a run stopped between claim and send.
     */
    static final Duration CLAIM_STALE_AFTER = Duration.ofSeconds(90);

    private final WaitingOrders orders;
    private final OnceADayMail daily;
    private final WaitingMail mail;
    private final EmailAddress owner;
    private final Clock clock;

    public WaitingService(WaitingOrders orders, DayClaims claims, Mailer mailer, WaitingMail mail, EmailAddress owner,
                          Clock clock) {
        this.orders = orders;
        this.daily = new OnceADayMail(claims, mailer, CLAIM_STALE_AFTER, "orders_waiting", clock);
        this.mail = mail;
        this.owner = owner;
        this.clock = clock;
    }

    /** What one run did. */
    public enum Outcome {
        /** The mail went out. */
        MAILED,
        /** Nothing waits: no mail. */
        NOTHING_WAITS,
        /** Today's mail went out before (the schedule fired again, or a retry). */
        MAILED_BEFORE
    }

    /** What a run found, and what it did. */
    public record Result(Outcome outcome, int disputes, int dueSoon, int toShip, int needAttention) {
    }

    /**
     * Reads the three lists and mails the owner once today if anything waits. Fails (for the
     * scheduler's retry and the function's error alarm) when the mail could not be sent, or when
     * another run holds today's claim and has not marked it sent: the retry finds it sent, or stale.
     */
    public Result run() {
        Instant now = clock.instant();
        Listing disputes = orders.openDisputes(READ_AT_MOST);
        Listing toShip = orders.oldest(OrderStatus.PAID, READ_AT_MOST);
        Listing attention = orders.oldest(OrderStatus.NEEDS_ATTENTION, READ_AT_MOST);
        int dueSoon = (int) disputes.orders().stream().filter(order -> dueSoon(order, now)).count();
        Map<String, Object> counts = Map.of("disputes", disputes.orders().size(), "dueSoon", dueSoon,
                "toShip", toShip.orders().size(), "needAttention", attention.orders().size(),
                "more", disputes.more() || toShip.more() || attention.more());
        Log.info("orders_waiting", counts);
        Result found = new Result(Outcome.MAILED, disputes.orders().size(), dueSoon, toShip.orders().size(),
                attention.orders().size());
        if (disputes.orders().isEmpty() && toShip.orders().isEmpty() && attention.orders().isEmpty()) {
            return withOutcome(found, Outcome.NOTHING_WAITS);
        }
        if (daily.send(now, () -> mail.compose(owner, now, disputes, toShip, attention, SHOWN))
                == OnceADayMail.Sent.MAILED_BEFORE) {
            return withOutcome(found, Outcome.MAILED_BEFORE);
        }
        return found;
    }

    /** Due within {@link #DUE_SOON}, or past its deadline and still open. */
    static boolean dueSoon(Order order, Instant now) {
        return order.dispute() != null && order.dispute().evidenceDueBy() != null
                && !order.dispute().evidenceDueBy().isAfter(now.plus(DUE_SOON));
    }

    private static Result withOutcome(Result result, Outcome outcome) {
        return new Result(outcome, result.disputes(), result.dueSoon(), result.toShip(), result.needAttention());
    }
}
