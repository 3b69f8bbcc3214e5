package shop.notification;

import static shop.core.html.HtmlPage.escape;

import java.util.List;
import java.util.Map;
import shop.commerce.Money;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderItem;
import shop.commerce.orders.OrderTotals;
import shop.commerce.orders.PostalAddress;
import shop.commerce.orders.Shipment;
import shop.core.email.EmailAddress;
import shop.core.mail.Email;

/**
 * The order mails, each as HTML and text. Everything the customer typed (name, address) and
 * everything from the catalog goes through {@link shop.core.html.HtmlPage#escape} in the HTML
 * part; subjects hold only the order number and the shop's name.
 */
public final class OrderMails {
    private final String shopName;

    public OrderMails(String shopName) {
        if (shopName == null || shopName.isBlank() || shopName.contains("\n") || shopName.contains("\r")) {
            throw new IllegalArgumentException("The shop name is one line");
        }
        this.shopName = shopName;
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
        return new Email(to, "Your order " + order.number() + " at " + shopName, html.toString(), text.toString(), Map.of());
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
        return new Email(to, "Your payment for order " + order.number() + " did not go through", html, text, Map.of());
    }

    /** The shipping mail: carrier, tracking number and the carrier's tracking link (https, checked when recorded). */
    public Email shipped(EmailAddress to, Order order, Shipment shipment) {
        String greeting = order.customerName() == null ? "Hello," : "Hello " + order.customerName() + ",";
        StringBuilder text = new StringBuilder()
                .append(greeting).append("\n\n")
                .append("your order ").append(order.number()).append(" is on its way.\n\n")
                .append(itemsText(order.items())).append('\n')
                .append("Carrier: ").append(shipment.carrier()).append('\n')
                .append("Tracking number: ").append(shipment.trackingNumber()).append('\n')
                .append("Follow it here: ").append(shipment.trackingUrl()).append("\n\n");
        StringBuilder html = new StringBuilder()
                .append("<p>").append(escape(greeting)).append("</p>\n")
                .append("<p>your order <strong>").append(escape(order.number())).append("</strong> is on its way.</p>\n")
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
        return new Email(to, "Your order " + order.number() + " is on its way", html.toString(), text.toString(), Map.of());
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
}
