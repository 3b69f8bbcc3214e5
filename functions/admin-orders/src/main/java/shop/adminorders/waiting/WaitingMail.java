package shop.adminorders.waiting;

import static shop.core.html.HtmlPage.escape;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import shop.adminorders.waiting.WaitingOrders.Listing;
import shop.adminorders.waiting.WaitingOrders.Order;
import shop.commerce.Money;
import shop.core.email.EmailAddress;
import shop.core.mail.BackOfficeLinks;
import shop.core.mail.Email;
import shop.core.mail.OwnerMailLink;

/**
 * The owner's morning mail of what waits, as text and HTML: the open disputes first (those whose
 * evidence is due within {@link WaitingService#DUE_SOON} marked), then the orders to ship and
 * those that need the owner, oldest first, each with its number, how long it has waited and its
 * link to the admin page. No customer's name, email or address: the admin page shows those. A
 * dispute's amount is in it as the owner's dispute mail has it; an order's total is not.
 */
public final class WaitingMail {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DEADLINE = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private final BackOfficeLinks backOffice;

    public WaitingMail(BackOfficeLinks backOffice) {
        this.backOffice = backOffice;
    }

    /**
     * {@code disputes} in the index's order, soonest deadline first (so the due-soon ones lead); each list's first {@code shown} orders are named, the rest
     * counted ("and 37 more"), and a list read to its bound says that it holds more still.
     */
    Email compose(EmailAddress owner, Instant now, Listing disputes, Listing toShip, Listing attention, Shown shown) {
        long dueSoon = disputes.orders().stream().filter(order -> WaitingService.dueSoon(order, now)).count();
        Section text = new Section();
        text.line("What waits in the shop on " + DAY.format(now) + ".");
        if (!disputes.orders().isEmpty()) {
            text.heading("OPEN DISPUTES: " + count(disputes) + (dueSoon == 0 ? ""
                    : ", " + dueSoon + " with evidence due within " + WaitingService.DUE_SOON.toDays() + " days"));
            text.line("Submit evidence in the Stripe Dashboard before the deadline, or the dispute is lost.");
            for (Order order : first(disputes, shown.disputes())) {
                String mark = !WaitingService.dueSoon(order, now) ? null
                        : order.dispute().evidenceDueBy().isAfter(now) ? "DUE SOON" : "DEADLINE PASSED";
                text.order(mark, "Order " + order.number() + ": " + dispute(order, now), link(order));
            }
            text.more(disputes, shown.disputes(), "the back office's Disputes open list");
        }
        if (!toShip.orders().isEmpty()) {
            text.heading("ORDERS TO SHIP: " + count(toShip) + ", the longest waiting first");
            for (Order order : first(toShip, shown.toShip())) {
                text.order(null, "Order " + order.number() + ", ordered " + since(order, now), link(order));
            }
            text.more(toShip, shown.toShip(), "the back office's To ship list, oldest first");
        }
        if (!attention.orders().isEmpty()) {
            text.heading("ORDERS THAT NEED YOUR ATTENTION: " + count(attention) + " (accept or refund each)");
            for (Order order : first(attention, shown.attention())) {
                // When it was placed: the index holds no payment time, and a delayed payment lands days later.
                text.order(null, "Order " + order.number() + ", ordered " + since(order, now), link(order));
            }
            text.more(attention, shown.attention(), "the back office's Needs attention list");
        }
        return new Email(owner, subject(disputes, dueSoon, toShip, attention), text.html.toString(),
                text.text.toString(), Map.of());
    }

    /** How many the mail names of each list. */
    record Shown(int disputes, int toShip, int attention) {
    }

    /** "Waiting in the shop: 2 open dispute(s) (1 due within 3 days), 12 to ship, 1 needing attention". */
    private static String subject(Listing disputes, long dueSoon, Listing toShip, Listing attention) {
        List<String> parts = new java.util.ArrayList<>();
        if (!disputes.orders().isEmpty()) {
            parts.add(count(disputes) + " open dispute(s)" + (dueSoon == 0 ? ""
                    : " (" + dueSoon + " due within " + WaitingService.DUE_SOON.toDays() + " days)"));
        }
        if (!toShip.orders().isEmpty()) {
            parts.add(count(toShip) + " to ship");
        }
        if (!attention.orders().isEmpty()) {
            parts.add(count(attention) + " needing attention");
        }
        return "Waiting in the shop: " + String.join(", ", parts);
    }

    private static String count(Listing listing) {
        return listing.orders().size() + (listing.more() ? "+" : "");
    }

    private static List<Order> first(Listing listing, int shown) {
        return listing.orders().subList(0, Math.min(shown, listing.orders().size()));
    }

    private static String dispute(Order order, Instant now) {
        WaitingOrders.Dispute dispute = order.dispute();
        StringBuilder line = new StringBuilder();
        amount(dispute).ifPresent(amount -> line.append(amount).append(", "));
        line.append(dispute.reason() == null ? "no reason given" : dispute.reason()).append(", ");
        if (dispute.evidenceDueBy() == null) {
            line.append("no evidence deadline (the bank takes none)");
        } else if (dispute.evidenceDueBy().isAfter(now)) {
            line.append("evidence due ").append(DEADLINE.format(dispute.evidenceDueBy())).append(" (in ")
                    .append(span(Duration.between(now, dispute.evidenceDueBy()))).append(')');
        } else {
            line.append("evidence was due ").append(DEADLINE.format(dispute.evidenceDueBy()));
        }
        return line.toString();
    }

    private static Optional<String> amount(WaitingOrders.Dispute dispute) {
        try {
            return Optional.of(Money.of(dispute.amount(), dispute.currency()).format());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** "3 days ago (3 December 2026)", "5 hours ago (...)", "less than an hour ago (...)". */
    private static String since(Order order, Instant now) {
        if (order.createdAt() == null) {
            return "at a time not recorded";
        }
        return span(Duration.between(order.createdAt(), now)) + " ago (" + DATE.format(order.createdAt()) + ")";
    }

    /** Whole days from a day on, whole hours below it: "2 days", "1 day", "5 hours", "less than an hour". */
    private static String span(Duration duration) {
        long days = duration.toDays();
        if (days >= 1) {
            return days + (days == 1 ? " day" : " days");
        }
        long hours = duration.toHours();
        return hours < 1 ? "less than an hour" : hours + (hours == 1 ? " hour" : " hours");
    }

    private Optional<String> link(Order order) {
        return backOffice.order(order.id());
    }

    /** The mail's text and HTML, written side by side. */
    private static final class Section {
        final StringBuilder text = new StringBuilder();
        final StringBuilder html = new StringBuilder();

        void line(String line) {
            text.append(line).append('\n');
            html.append("<p>").append(escape(line)).append("</p>\n");
        }

        void heading(String heading) {
            text.append('\n').append(heading).append('\n');
            html.append("<h3>").append(escape(heading)).append("</h3>\n");
        }

        /** One order: its line, marked when {@code mark} is not null, and its link under it (as every owner mail shows one). */
        void order(String mark, String line, Optional<String> link) {
            text.append(mark == null ? "  " : "  " + mark + ": ").append(line).append('\n');
            html.append("<p>");
            if (mark != null) {
                html.append("<strong style=\"color:#b00020\">").append(escape(mark)).append(":</strong> ");
            }
            html.append(escape(line)).append("</p>\n");
            link.map(url -> new OwnerMailLink("", url)).ifPresent(shown -> {
                text.append("    ").append(shown.text()).append('\n');
                html.append(shown.html()).append('\n');
            });
        }

        /** "and 37 more", and whether the list holds more than the mail read. */
        void more(Listing listing, int shown, String where) {
            int rest = listing.orders().size() - Math.min(shown, listing.orders().size());
            if (rest == 0 && !listing.more()) {
                return;
            }
            String line = "and " + rest + (listing.more() ? " more, and others beyond those (the mail reads "
                    + listing.orders().size() + " at most)" : " more") + ": " + where + ".";
            text.append("  ").append(line).append('\n');
            html.append("<p>").append(escape(line)).append("</p>\n");
        }
    }
}
