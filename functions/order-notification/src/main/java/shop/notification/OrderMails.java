package shop.notification;

import static shop.core.html.HtmlPage.escape;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import shop.commerce.Money;
import shop.commerce.orders.Dispute;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderItem;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.OrderTotals;
import shop.commerce.orders.PostalAddress;
import shop.commerce.orders.Refund;
import shop.commerce.orders.Shipment;
import shop.core.email.EmailAddress;
import shop.core.mail.BackOfficeLinks;
import shop.core.mail.Email;
import shop.core.mail.OwnerMailLink;

/**
 * The order mails, each as HTML and text. Everything the customer typed (name, address) and
 * everything from the catalog goes through {@link shop.core.html.HtmlPage#escape} in the HTML
 * part; subjects hold only the order number and the shop's name.
 */
public final class OrderMails {
    private final String shopName;
    private final BackOfficeLinks backOffice;

    public OrderMails(String shopName) {
        this(shopName, BackOfficeLinks.none());
    }

    /** {@code backOffice}: where the owner's mails link to the order on the admin page (none without its address). */
    public OrderMails(String shopName, BackOfficeLinks backOffice) {
        if (shopName == null || shopName.isBlank() || shopName.contains("\n") || shopName.contains("\r")) {
            throw new IllegalArgumentException("The shop name is one line");
        }
        this.shopName = shopName;
        this.backOffice = backOffice;
    }

    public Email customerConfirmation(EmailAddress to, Order order) {
        String greeting = order.customerName() == null ? "Hello," : "Hello " + order.customerName() + ",";
        StringBuilder text = new StringBuilder()
                .append(greeting).append("\n\n")
                .append("thank you for your order ").append(order.number()).append(". Your payment arrived, and this is what we will send you:\n\n")
                .append(itemsText(order.items())).append('\n')
                .append(totalsText(order.totals())).append('\n');
        StringBuilder html = new StringBuilder()
                .append("<p>").append(escape(greeting)).append("</p>\n")
                .append("<p>thank you for your order <strong>").append(escape(order.number()))
                .append("</strong>. Your payment arrived, and this is what we will send you:</p>\n")
                .append(itemsHtml(order.items()))
                .append(totalsHtml(order.totals()));
        if (order.shipping() != null) {
            text.append("Shipping to:\n").append(addressText(order.shipping())).append('\n');
            html.append("<p>Shipping to:<br>").append(addressHtml(order.shipping())).append("</p>\n");
        }
        text.append("We will write again when it is on its way. Questions? Reply to this mail and quote ")
                .append(order.number()).append(".\n\n").append(shopName).append('\n');
        html.append("<p>We will write again when it is on its way. Questions? Reply to this mail and quote ")
                .append(escape(order.number())).append(".</p>\n<p>").append(escape(shopName)).append("</p>\n");
        return new Email(to, "Your order " + order.number() + " at " + shopName, html.toString(), text.toString(), orderHeader(order));
    }

    public Email ownerNotification(EmailAddress to, Order order) {
        Money total = order.totals().total();
        StringBuilder text = new StringBuilder()
                .append("New paid order ").append(order.number()).append(" (").append(total.format()).append(").\n\n")
                .append(itemsText(order.items())).append('\n')
                .append(totalsText(order.totals())).append('\n')
                .append("Customer: ").append(nullToDash(order.customerName())).append(" <")
                .append(nullToDash(order.customerEmail())).append(">\n\n");
        StringBuilder html = new StringBuilder()
                .append("<p>New paid order <strong>").append(escape(order.number())).append("</strong> (")
                .append(escape(total.format())).append(").</p>\n")
                .append(itemsHtml(order.items()))
                .append(totalsHtml(order.totals()))
                .append("<p>Customer: ").append(escape(nullToDash(order.customerName()))).append(" &lt;")
                .append(escape(nullToDash(order.customerEmail()))).append("&gt;</p>\n");
        if (order.shipping() != null) {
            text.append("Ship to:\n").append(addressText(order.shipping())).append('\n');
            html.append("<p>Ship to:<br>").append(addressHtml(order.shipping())).append("</p>\n");
        }
        if (order.billing() != null) {
            text.append("Billing address:\n").append(addressText(order.billing())).append('\n');
            html.append("<p>Billing address:<br>").append(addressHtml(order.billing())).append("</p>\n");
        }
        String stripe = "Stripe Checkout Session " + order.id()
                + (order.paymentIntentId() == null ? "" : ", payment " + order.paymentIntentId())
                + (order.livemode() ? "" : " (test mode)");
        text.append(stripe).append('\n');
        html.append("<p>").append(escape(stripe)).append("</p>\n");
        appendBackOfficeLink(text, html, order, "Open it in the back office to ship it: ");
        return new Email(to, "New order " + order.number() + " (" + total.format() + ")", html.toString(),
                text.toString(), Map.of());
    }

    public Email paymentFailed(EmailAddress to, Order order) {
        String greeting = order.customerName() == null ? "Hello," : "Hello " + order.customerName() + ",";
        String text = greeting + "\n\n"
                + "the payment for your order " + order.number() + " did not go through, so the order is cancelled"
                + " and nothing will be charged. The pieces are back in the shop: if you still want them, you are"
                + " welcome to order again.\n\n" + itemsText(order.items()) + "\n" + shopName + "\n";
        String html = "<p>" + escape(greeting) + "</p>\n"
                + "<p>the payment for your order <strong>" + escape(order.number()) + "</strong> did not go through,"
                + " so the order is cancelled and nothing will be charged. The pieces are back in the shop: if you still"
                + " want them, you are welcome to order again.</p>\n" + itemsHtml(order.items())
                + "<p>" + escape(shopName) + "</p>\n";
        return new Email(to, "Your payment for order " + order.number() + " did not go through", html, text, orderHeader(order));
    }

    /** The shipping mail: carrier, tracking number and the carrier's tracking link (https, checked when recorded). */
    public Email shipped(EmailAddress to, Order order, Shipment shipment) {
        return parcel(to, order, shipment, "Your order " + order.number() + " is on its way",
                "your order " + order.number() + " is on its way.");
    }

    /**
     * After the back office corrected the shipment: the same mail as {@link #shipped}, saying that the
     * tracking we sent was wrong, with the right carrier, number and link.
     */
    public Email shipmentCorrected(EmailAddress to, Order order, Shipment shipment) {
        return parcel(to, order, shipment, "Corrected tracking for your order " + order.number(),
                "the tracking link we sent you for your order " + order.number()
                        + " was wrong, sorry. Here is the right one; your parcel is on its way as before.");
    }

    /**
     * After the back office changed the shipping address at the customer's request (a mail or a call): the address the
     * order now ships to, and what to do if they did not ask for it. It protects the customer against a change made
     * in their name by someone else: the mail goes to the order's email address, which the change does not touch.
     */
    public Email shippingAddressChanged(EmailAddress to, Order order) {
        String greeting = order.customerName() == null ? "Hello," : "Hello " + order.customerName() + ",";
        String news = "at your request, we changed the shipping address of your order " + order.number() + ". It will"
                + " be sent to:";
        String warning = "If you did not ask for this, reply to this mail before the order ships and we will put it"
                + " right.";
        String text = greeting + "\n\n" + news + "\n" + addressText(order.shipping()) + "\n" + warning + "\n\n"
                + itemsText(order.items()) + "\n" + shopName + "\n";
        String html = "<p>" + escape(greeting) + "</p>\n<p>" + escape(news) + "<br>" + addressHtml(order.shipping())
                + "</p>\n<p><strong>" + escape(warning) + "</strong></p>\n" + itemsHtml(order.items())
                + "<p>" + escape(shopName) + "</p>\n";
        return new Email(to, "The shipping address of your order " + order.number() + " was changed", html, text,
                orderHeader(order));
    }

    /**
     * After the back office corrected the order's customer email (the mails went to a mistyped address and bounced):
     * the order as the confirmation shows it (items, totals, shipping address), where it stands now, and for a shipped
     * order its carrier and tracking link. It goes to the corrected address only.
     */
    public Email emailCorrected(EmailAddress to, Order order, Optional<Shipment> shipment) {
        String greeting = order.customerName() == null ? "Hello," : "Hello " + order.customerName() + ",";
        String news = "we corrected the email address we had for your order " + order.number() + ": our earlier mails"
                + " could not reach you. This is your order:";
        StringBuilder text = new StringBuilder()
                .append(greeting).append("\n\n")
                .append(news).append("\n\n")
                .append(itemsText(order.items())).append('\n')
                .append(totalsText(order.totals())).append('\n');
        StringBuilder html = new StringBuilder()
                .append("<p>").append(escape(greeting)).append("</p>\n")
                .append("<p>").append(escape(news)).append("</p>\n")
                .append(itemsHtml(order.items()))
                .append(totalsHtml(order.totals()));
        if (order.shipping() != null) {
            text.append("Shipping to:\n").append(addressText(order.shipping())).append('\n');
            html.append("<p>Shipping to:<br>").append(addressHtml(order.shipping())).append("</p>\n");
        }
        if (shipment.isPresent()) {
            Shipment parcel = shipment.get();
            text.append("It is on its way.\n")
                    .append("Carrier: ").append(parcel.carrier()).append('\n')
                    .append("Tracking number: ").append(parcel.trackingNumber()).append('\n')
                    .append("Follow it here: ").append(parcel.trackingUrl()).append("\n\n");
            html.append("<p>It is on its way.<br>\nCarrier: ").append(escape(parcel.carrier())).append("<br>\n")
                    .append("Tracking number: ").append(escape(parcel.trackingNumber())).append("<br>\n")
                    .append("<a href=\"").append(escape(parcel.trackingUrl())).append("\">Follow your parcel</a></p>\n");
        } else if (order.status() == OrderStatus.REFUNDED) {
            text.append("It has been refunded.\n\n");
            html.append("<p>It has been refunded.</p>\n");
        } else {
            text.append("We will write again when it is on its way.\n\n");
            html.append("<p>We will write again when it is on its way.</p>\n");
        }
        text.append("Questions? Reply to this mail and quote ").append(order.number()).append(".\n\n")
                .append(shopName).append('\n');
        html.append("<p>Questions? Reply to this mail and quote ").append(escape(order.number()))
                .append(".</p>\n<p>").append(escape(shopName)).append("</p>\n");
        return new Email(to, "Your order " + order.number() + " at " + shopName, html.toString(), text.toString(),
                orderHeader(order));
    }

    private Email parcel(EmailAddress to, Order order, Shipment shipment, String subject, String news) {
        String greeting = order.customerName() == null ? "Hello," : "Hello " + order.customerName() + ",";
        StringBuilder text = new StringBuilder()
                .append(greeting).append("\n\n")
                .append(news).append("\n\n")
                .append(itemsText(order.items())).append('\n')
                .append("Carrier: ").append(shipment.carrier()).append('\n')
                .append("Tracking number: ").append(shipment.trackingNumber()).append('\n')
                .append("Follow it here: ").append(shipment.trackingUrl()).append("\n\n");
        StringBuilder html = new StringBuilder()
                .append("<p>").append(escape(greeting)).append("</p>\n")
                .append("<p>").append(escape(news)).append("</p>\n")
                .append(itemsHtml(order.items()))
                .append("<p>Carrier: ").append(escape(shipment.carrier())).append("<br>\n")
                .append("Tracking number: ").append(escape(shipment.trackingNumber())).append("<br>\n")
                .append("<a href=\"").append(escape(shipment.trackingUrl())).append("\">Follow your parcel</a></p>\n");
        if (order.shipping() != null) {
            text.append("Shipping to:\n").append(addressText(order.shipping())).append('\n');
            html.append("<p>Shipping to:<br>").append(addressHtml(order.shipping())).append("</p>\n");
        }
        text.append("Questions? Reply to this mail and quote ").append(order.number()).append(".\n\n")
                .append(shopName).append('\n');
        html.append("<p>Questions? Reply to this mail and quote ").append(escape(order.number()))
                .append(".</p>\n<p>").append(escape(shopName)).append("</p>\n");
        return new Email(to, subject, html.toString(), text.toString(), orderHeader(order));
    }

    /**
     * The customer's refund mail: how much, in which currency, why in plain words. The owner's
     * own note stays in the order's record and is never sent.
     */
    public Email refunded(EmailAddress to, Order order, Refund refund) {
        String greeting = order.customerName() == null ? "Hello," : "Hello " + order.customerName() + ",";
        Money amount = Money.of(refund.amount(), refund.currency());
        String whole = refund.amount() >= order.totals().total().amount() ? "the whole of " : "part of ";
        String text = greeting + "\n\n"
                + "we have refunded " + amount.format() + " (" + amount.currency() + "), " + whole + "your order "
                + order.number() + ". " + reasonInWords(refund.reason()) + "\n\n"
                + "The money goes back to the card or account you paid with; depending on your bank it shows"
                + " within 5 to 10 business days.\n\nQuestions? Reply to this mail and quote " + order.number()
                + ".\n\n" + shopName + "\n";
        String html = "<p>" + escape(greeting) + "</p>\n"
                + "<p>we have refunded <strong>" + escape(amount.format()) + " (" + escape(amount.currency())
                + ")</strong>, " + whole + "your order <strong>" + escape(order.number()) + "</strong>. "
                + escape(reasonInWords(refund.reason())) + "</p>\n"
                + "<p>The money goes back to the card or account you paid with; depending on your bank it shows"
                + " within 5 to 10 business days.</p>\n<p>Questions? Reply to this mail and quote "
                + escape(order.number()) + ".</p>\n<p>" + escape(shopName) + "</p>\n";
        return new Email(to, "Refund for your order " + order.number() + " at " + shopName, html, text, orderHeader(order));
    }

    /** The owner's mail about a dispute: what, how much, and until when Stripe takes evidence. */
    public Email ownerDispute(EmailAddress to, Order order, Dispute dispute) {
        Money amount = Money.of(dispute.amount(), dispute.currency());
        String deadline = dispute.evidenceDueBy() == null ? "no deadline given"
                : DEADLINE.format(dispute.evidenceDueBy());
        StringBuilder text = new StringBuilder()
                .append("A customer disputed the payment of order ").append(order.number()).append(" (")
                .append(amount.format()).append(", reason: ").append(nullToDash(dispute.reason())).append(").\n\n");
        if (dispute.closed()) {
            text.append("Stripe has already closed it: ").append(dispute.outcome()).append(".\n");
        } else {
            text.append("Submit evidence in the Stripe Dashboard before ").append(deadline)
                    .append(" or the dispute is lost.\n");
        }
        text.append("\nStripe dispute ").append(dispute.id()).append(", payment ")
                .append(nullToDash(order.paymentIntentId())).append(order.livemode() ? "" : " (test mode)").append('\n');
        StringBuilder html = new StringBuilder("<p>").append(escape(text.toString()).replace("\n", "<br>\n")).append("</p>\n");
        appendBackOfficeLink(text, html, order, "The order in the back office: ");
        return new Email(to, "Dispute on order " + order.number() + ": evidence due " + deadline, html.toString(),
                text.toString(), Map.of());
    }

    /**
     * The owner's mail about a refund Stripe failed or canceled after it was made: the customer was
     * told of it (or will not be) but has not got the money; the owner returns it another way.
     */
    public Email ownerRefundFailed(EmailAddress to, Order order, Refund refund) {
        Money amount = Money.of(refund.amount(), refund.currency());
        String what = "canceled".equals(refund.failure()) ? "was canceled" : "failed";
        StringBuilder text = new StringBuilder()
                .append("The refund of ").append(amount.format()).append(" (").append(amount.currency())
                .append(") for order ").append(order.number()).append(' ').append(what).append(" at Stripe: ")
                .append(failureInWords(refund.failureReason())).append(".\n\n")
                .append("The customer has not got the money back. Refund them another way (a bank transfer, say),"
                        + " or try again in the back office or the Stripe Dashboard.\n")
                .append("\nStripe refund ").append(refund.stripeRefundId()).append(", payment ")
                .append(nullToDash(order.paymentIntentId())).append(order.livemode() ? "" : " (test mode)").append('\n');
        StringBuilder html = new StringBuilder("<p>").append(escape(text.toString()).replace("\n", "<br>\n")).append("</p>\n");
        appendBackOfficeLink(text, html, order, "The order in the back office: ");
        return new Email(to, "Refund failed for order " + order.number() + ": the customer has not got "
                + amount.format() + " back", html.toString(), text.toString(), Map.of());
    }

    /** Stripe's {@code failure_reason} in words, with the code for a search in Stripe's docs. */
    static String failureInWords(String reason) {
        String words = reason == null ? "Stripe gave no reason" : switch (reason) {
            case "expired_or_canceled_card" -> "the card was expired or canceled";
            case "lost_or_stolen_card" -> "the card was reported lost or stolen";
            case "charge_for_pending_refund_disputed" -> "the customer disputed the payment while the refund was pending";
            case "insufficient_funds" -> "the Stripe balance did not cover it";
            case "declined" -> "the customer's bank declined it";
            case "merchant_request" -> "it was canceled on request";
            default -> "Stripe did not say why";
        };
        return reason == null ? words : words + " (" + reason + ")";
    }

    /**
     * The owner's mail about a paid session this shop's checkout did not make as it stands, one
     * paid with a deactivated address, or one paid after its pieces stopped being held for it:
     * what happened, whether stock was taken, what to do.
     */
    public Email ownerAttention(EmailAddress to, Order order, String reason) {
        String why = switch (reason) {
            case "no_reservation" -> "it was not made by the shop's checkout (a Payment Link, the Dashboard or another"
                    + " integration of the Stripe account), so no piece was held for it";
            case "unknown_reservation" -> "the reservation it names does not exist (any more)";
            case "other_session" -> "the reservation it names belongs to another checkout, which keeps its piece";
            case "other_amount" -> "Stripe's amount or currency differs from what the shop priced for it";
            case "deactivated_email" -> "it was paid with an address whose owner deactivated it; the piece is"
                    + " set aside for it";
            case "stock_not_held" -> "its pieces were no longer held for it when the payment arrived: its checkout had"
                    + " ended and they went back on sale, so one may have been sold to someone else meanwhile";
            default -> "it could not be matched to a checkout of the shop";
        };
        // Accepting takes the pieces of an order that took none: the stock is not to be lowered by hand as well.
        String todo = reason.equals("stock_not_held")
                ? "Check that each piece is still there:\n\n" + itemsText(order.items()) + "\nIf they are, accept the"
                        + " order in the back office (that takes them from stock and confirms it to the customer) and"
                        + " ship it; if one is gone, refund the order in the back office."
                : "Check it in the Stripe Dashboard, then accept it in the back office (that confirms it to the"
                        + " customer) if you mean to fulfil it, or refund it.";
        Money total = order.totals().total();
        StringBuilder text = new StringBuilder()
                .append("Order ").append(order.number()).append(" (").append(total.format()).append(") was paid, but ")
                .append(why).append(".\n\n")
                .append("It is listed as NEEDS_ATTENTION in the back office and was not confirmed to the customer. ")
                .append(todo).append("\n\n")
                .append("Stripe payment ").append(nullToDash(order.paymentIntentId()))
                .append(order.livemode() ? "" : " (test mode)").append('\n');
        StringBuilder html = new StringBuilder("<p>").append(escape(text.toString()).replace("\n", "<br>\n")).append("</p>\n");
        appendBackOfficeLink(text, html, order, "Accept or refund it in the back office: ");
        return new Email(to, "Order " + order.number() + " needs your attention", html.toString(), text.toString(), Map.of());
    }

    /** The owner's way to the order on the admin page, when the stack knows the page's address. */
    private void appendBackOfficeLink(StringBuilder text, StringBuilder html, Order order, String lead) {
        backOffice.order(order.id()).map(url -> new OwnerMailLink(lead, url)).ifPresent(link -> {
            text.append('\n').append(link.text()).append('\n');
            html.append(link.html()).append('\n');
        });
    }

    private static final DateTimeFormatter DEADLINE = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private static String reasonInWords(String reason) {
        if (reason == null) {
            return "";
        }
        return switch (reason) {
            case "requested_by_customer" -> "You asked us for it.";
            case "duplicate" -> "You were charged twice for the same thing.";
            case "fraudulent" -> "The payment looks like it was not made by the card's holder.";
            default -> "";
        };
    }

    private static String itemsText(List<OrderItem> items) {
        StringBuilder text = new StringBuilder();
        for (OrderItem item : items) {
            text.append("  ").append(item.quantity()).append(" x ").append(item.name())
                    .append("  ").append(item.total().format()).append('\n');
        }
        return text.toString();
    }

    private static String itemsHtml(List<OrderItem> items) {
        StringBuilder html = new StringBuilder("<table cellpadding=\"4\">\n");
        for (OrderItem item : items) {
            html.append("<tr><td>").append(item.quantity()).append(" &times;</td><td>").append(escape(item.name()))
                    .append("</td><td align=\"right\">").append(escape(item.total().format())).append("</td></tr>\n");
        }
        return html.append("</table>\n").toString();
    }

    private static String totalsText(OrderTotals totals) {
        StringBuilder text = new StringBuilder();
        text.append("Subtotal: ").append(totals.subtotal().format()).append('\n');
        text.append("Shipping: ").append(totals.shipping().format()).append('\n');
        if (totals.discount().amount() > 0) {
            text.append("Discount: -").append(totals.discount().format()).append('\n');
        }
        if (totals.tax().amount() > 0) {
            text.append("Tax: ").append(totals.tax().format()).append('\n');
        }
        return text.append("Total: ").append(totals.total().format()).append('\n').toString();
    }

    private static String totalsHtml(OrderTotals totals) {
        return "<p>" + escape(totalsText(totals)).replace("\n", "<br>\n") + "</p>\n";
    }

    private static String addressText(PostalAddress address) {
        return "  " + String.join("\n  ", address.lines()) + "\n";
    }

    private static String addressHtml(PostalAddress address) {
        return String.join("<br>", address.lines().stream().map(line -> escape(line)).toList());
    }

    private static String nullToDash(String value) {
        return value == null ? "-" : value;
    }

    /**
     * Names the order in the mail's headers, which SES's events repeat: the SES feedback function
     * (functions/campaigns) tells the owner when a customer's order mail bounced.
     */
    private static Map<String, String> orderHeader(Order order) {
        return Map.of("X-Shop-Order", String.valueOf(order.number()));
    }
}
