package shop.local.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import shop.commerce.StripeCurrency;
import shop.local.stack.StripeStandIn;

/**
 * The local stand-in for Stripe's hosted payment page, at {@code /_local/stripe/pay/{session id}}
 * (local only: never in template.yaml). The customer's choices become the stand-in's state, and
 * the event Stripe would send is posted, really signed, to this server's own
 * {@code /stripe/webhook}, as {@code stripe trigger} would.
 */
final class StripePayPage {
    static final String PREFIX = "/_local/stripe/pay/";

    private final StripeStandIn stripe;
    private final URI webhook;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> lastDelivery = new ConcurrentHashMap<>();

    StripePayPage(StripeStandIn stripe, URI webhook) {
        this.stripe = stripe;
        this.webhook = webhook;
    }

    int handle(HttpExchange exchange, String path, byte[] body) throws IOException {
        String sessionId = path.substring(PREFIX.length());
        Optional<StripeStandIn.SessionView> session = stripe.session(sessionId);
        if (session.isEmpty()) {
            return page(exchange, 404, "No such Checkout Session",
                    "<p>The Stripe stand-in created no session <code>" + escape(sessionId) + "</code>.</p>");
        }
        return switch (exchange.getRequestMethod()) {
            case "GET", "HEAD" -> page(exchange, 200, "Pay " + money(session.get().total(), session.get().currency()),
                    render(session.get()));
            case "POST" -> act(exchange, session.get(), form(body));
            default -> page(exchange, 405, "Method Not Allowed", "<p>GET shows the page, POST acts on it.</p>");
        };
    }

    private int act(HttpExchange exchange, StripeStandIn.SessionView session, Map<String, String> form) throws IOException {
        String action = form.getOrDefault("action", "");
        StripeStandIn.SignedEvent event;
        try {
            event = switch (action) {
                case "pay" -> stripe.pay(session.id(), "bank_debit".equals(form.get("method"))
                        ? StripeStandIn.PaymentMethod.BANK_DEBIT : StripeStandIn.PaymentMethod.CARD, customer(form));
                case "succeed" -> stripe.succeedPayment(session.id());
                case "fail" -> stripe.failPayment(session.id());
                case "expire" -> stripe.expire(session.id());
                case "refund" -> stripe.refund(session.id());
                default -> throw new IllegalArgumentException("Unknown action '" + action + "'");
            };
        } catch (RuntimeException e) {
            return page(exchange, 400, "Not possible", "<p>" + escape(e.getMessage()) + "</p><p><a href=\""
                    + PREFIX + escape(session.id()) + "\">Back</a></p>");
        }
        lastDelivery.put(session.id(), event.type() + " → " + deliver(event));
        // Stripe sends the customer to the success page after paying, by card or by bank debit.
        String next = action.equals("pay") ? session.successRedirect() : PREFIX + session.id();
        exchange.getResponseHeaders().set("Location", next);
        exchange.sendResponseHeaders(303, -1);
        return 303;
    }

    /** Posts the event to this server's webhook as Stripe does, and says how it was answered. */
    String deliver(StripeStandIn.SignedEvent event) {
        HttpRequest request = HttpRequest.newBuilder(webhook)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Stripe-Signature", event.signature())
                .header("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
                .POST(HttpRequest.BodyPublishers.ofString(event.payload(), StandardCharsets.UTF_8))
                .build();
        try {
            return "HTTP " + http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return "not delivered (" + e.getClass().getSimpleName() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "not delivered (interrupted)";
        }
    }

    private static StripeStandIn.Customer customer(Map<String, String> form) {
        StripeStandIn.Customer sample = StripeStandIn.Customer.SAMPLE;
        // The card fields are read by nobody: on Stripe they never reach the shop either.
        return new StripeStandIn.Customer(
                form.getOrDefault("name", sample.name()),
                blankToNull(form.get("email")),
                form.getOrDefault("line1", sample.line1()),
                blankToNull(form.get("line2")),
                form.getOrDefault("postal_code", sample.postalCode()),
                form.getOrDefault("city", sample.city()),
                blankToNull(form.get("state")),
                form.getOrDefault("country", sample.country()).toUpperCase(Locale.ROOT));
    }

    private String render(StripeStandIn.SessionView s) {
        StringBuilder html = new StringBuilder();
        html.append("<p class=\"note\">Local stand-in for Stripe Checkout. Session <code>").append(escape(s.id()))
                .append("</code> is <strong>").append(escape(s.status())).append("</strong>, payment <strong>")
                .append(escape(s.paymentStatus())).append("</strong>.</p>\n<table>\n");
        for (var item : s.items()) {
            html.append("<tr><td>").append(item.quantity()).append(" × ").append(escape(item.name()))
                    .append("</td><td class=\"r\">").append(money(item.amount(), s.currency())).append("</td></tr>\n");
        }
        if (s.shippingName() != null) {
            html.append("<tr><td>").append(escape(s.shippingName())).append("</td><td class=\"r\">")
                    .append(money(s.shippingAmount(), s.currency())).append("</td></tr>\n");
        }
        html.append("<tr><th>Total</th><th class=\"r\">").append(money(s.total(), s.currency())).append("</th></tr>\n</table>\n");
        String delivery = lastDelivery.get(s.id());
        if (delivery != null) {
            html.append("<p>Last webhook: ").append(escape(delivery)).append("</p>\n");
        }
        String action = PREFIX + escape(s.id());
        if ("open".equals(s.status())) {
            var c = StripeStandIn.Customer.SAMPLE;
            html.append("<form method=\"post\" action=\"").append(action).append("\">\n")
                    .append("<input type=\"hidden\" name=\"action\" value=\"pay\">\n")
                    .append(field("Email", "email", s.customerEmail() == null ? c.email() : s.customerEmail()))
                    .append(field("Name", "name", c.name()))
                    .append(field("Address", "line1", c.line1()))
                    .append(field("Postal code", "postal_code", c.postalCode()))
                    .append(field("City", "city", c.city()))
                    .append(field("State", "state", c.state()))
                    .append(field("Country", "country", s.allowedCountries().isEmpty() ? c.country() : s.allowedCountries().get(0)))
                    .append(field("Card number (test)", "card_number", "4242 4242 4242 4242"))
                    .append(field("Expiry", "card_expiry", "12 / 34"))
                    .append(field("CVC", "card_cvc", "123"))
                    .append("<button name=\"method\" value=\"card\">Pay by card</button>\n")
                    .append("<button name=\"method\" value=\"bank_debit\">Pay by bank debit (settles later)</button>\n")
                    .append("</form>\n")
                    .append(button(action, "expire", "Let the session expire"));
            if (s.cancelUrl() != null) {
                html.append("<p><a href=\"").append(escape(s.cancelUrl())).append("\">← Back to the shop</a></p>\n");
            }
        } else if ("BANK_DEBIT".equals(s.paymentMethod()) && "unpaid".equals(s.paymentStatus())) {
            html.append(button(action, "succeed", "The bank payment succeeds"))
                    .append(button(action, "fail", "The bank payment fails"));
        } else if ("paid".equals(s.paymentStatus())) {
            html.append(button(action, "refund", "Refund the payment (as the shop would in Stripe's dashboard)"))
                    .append("<p><a href=\"").append(escape(s.successRedirect())).append("\">To the shop's success page</a></p>\n");
        }
        return html.toString();
    }

    private static String field(String label, String name, String value) {
        return "<label>" + escape(label) + " <input name=\"" + name + "\" value=\"" + escape(value == null ? "" : value)
                + "\"></label>\n";
    }

    private static String button(String action, String value, String label) {
        return "<form method=\"post\" action=\"" + action + "\"><button name=\"action\" value=\"" + value + "\">"
                + escape(label) + "</button></form>\n";
    }

    private static String money(long amount, String currency) {
        StripeCurrency counted = StripeCurrency.of(currency);
        return counted.major(amount).toPlainString() + " " + counted.code();
    }

    private static int page(HttpExchange exchange, int status, String title, String body) throws IOException {
        String html = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>%s</title>
                <style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1a1f36}
                table{width:100%%;border-collapse:collapse;margin:1rem 0}td,th{padding:.3rem 0;text-align:left}.r{text-align:right}
                label{display:block;margin:.4rem 0}input{width:100%%;padding:.4rem;box-sizing:border-box}
                button{margin:.6rem .4rem .6rem 0;padding:.6rem 1rem;background:#635bff;color:#fff;border:0;border-radius:4px;cursor:pointer}
                .note{background:#fff8e1;padding:.6rem;border-radius:4px}</style></head>
                <body><h1>%s</h1>
                %s</body></html>
                """.formatted(escape(title), escape(title), body);
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        return status;
    }

    private static Map<String, String> form(byte[] body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                form.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
