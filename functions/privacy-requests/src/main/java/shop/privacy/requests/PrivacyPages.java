package shop.privacy.requests;

import static shop.core.html.HtmlPage.escape;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import shop.core.html.HtmlPage;
import shop.privacy.Correction;
import shop.privacy.Outcome;
import shop.privacy.PrivacyMails;
import shop.privacy.PrivacyRequest;
import shop.privacy.RequestType;

/** The pages the privacy links open. */
final class PrivacyPages {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy").withZone(ZoneOffset.UTC);

    private PrivacyPages() {
    }

    /**
     * What confirming will do, and the button that does it. Mail scanners open links, so this
     * GET only shows; the form POSTs to the same URL, token included.
     */
    static String confirmForm(PrivacyRequest request, String token) {
        return HtmlPage.render("Confirm your privacy request", plan(request) + """
                <form method="post" action="?token=%s">
                <button type="submit">%s</button>
                </form>
                <p>If you did not ask for this, close this page: nothing happens without the button.</p>
                """.formatted(escape(token), escape(button(request.type()))));
    }

    static String done(RequestType type, Outcome outcome) {
        StringBuilder body = new StringBuilder();
        for (String paragraph : PrivacyMails.resultParagraphs(type, outcome)) {
            body.append("<p>").append(escape(paragraph.replaceAll("https?://\\S+", "(the link is in the mail we sent you)")))
                    .append("</p>\n");
        }
        body.append("<p>We also sent you this by mail.</p>");
        return HtmlPage.render("Your request is done", body.toString());
    }

    static String invalidLink() {
        return HtmlPage.render("This link is not valid",
                "<p>The link may have expired (links work for 1 hour), or be incomplete. Nothing was changed. "
                        + "Send the request again to get a fresh link.</p>");
    }

    static String usedLink() {
        return HtmlPage.render("This link was used already",
                "<p>Each link works once, and this one has been used: the request it belongs to was already "
                        + "confirmed. Nothing was changed now. Its result was sent to you by mail.</p>");
    }

    static String invalidDownload() {
        return HtmlPage.render("This download link is not valid",
                "<p>Download links work for 7 days; after that the file is deleted. Send a new access request "
                        + "to get a fresh copy.</p>");
    }

    static String failed(Instant dueAt) {
        return HtmlPage.render("We could not finish your request",
                "<p>Something went wrong while carrying out your request. The shop has been told and will "
                        + "complete it by hand by " + escape(DAY.format(dueAt)) + " at the latest, and mail you when "
                        + "it is done.</p>");
    }

    private static String button(RequestType type) {
        return switch (type) {
            case ACCESS -> "Send me my data";
            case DELETE -> "Erase my data";
            case CORRECT -> "Make these corrections";
            case OPT_OUT -> "Opt out and deactivate";
            case REACTIVATE -> "Reactivate";
            case UNSUBSCRIBE -> "Unsubscribe";
        };
    }

    /** What access and erasure do with the visit log (VisitsTable). */
    static final String VISIT_LOG = "<p>Our visit log keeps each page view for 30 days with the IP address and "
            + "browser it came from. This request also covers the lines from the IP address you asked from and "
            + "the one you confirm from (this page's): the only ones we can tell are yours.</p>";

    private static String plan(PrivacyRequest request) {
        return switch (request.type()) {
            case ACCESS -> "<p>We will collect everything we hold about your address (newsletter subscription and "
                    + "consent record, orders, order mails, checkout records and privacy requests) into one file, "
                    + "and mail you a link that downloads it for 7 days.</p>"
                    + VISIT_LOG;
            case DELETE -> "<p>We will erase your personal data: your newsletter subscription and consent record, "
                    + "any pending links, and your name, email, phone and addresses on your orders. A customer "
                    + "record at our payment provider, Stripe, is deleted too.</p>"
                    + "<p>What was sold, for how much, when and to which country stays for the 7 years tax law "
                    + "requires, without your name. We keep a keyed fingerprint of your address, never the address, "
                    + "so that no marketing mail reaches it unless you subscribe again. This cannot be undone.</p>"
                    + VISIT_LOG;
            case CORRECT -> "<p>On your orders that have not shipped yet, we will change:</p>"
                    + corrections(request.correction().orElseThrow());
            case OPT_OUT -> "<p>We will stop all marketing mail to your address and refuse new orders placed with "
                    + "it, until you ask us to reactivate it.</p>";
            case REACTIVATE -> "<p>Orders placed with your address will be accepted again. Marketing mail stays off "
                    + "unless you subscribe again.</p>";
            case UNSUBSCRIBE -> "<p>We will stop sending our newsletter to your address.</p>";
        };
    }

    private static String corrections(Correction correction) {
        StringBuilder list = new StringBuilder("<ul>");
        correction.name().ifPresent(name -> list.append("<li>the name to <strong>").append(escape(name))
                .append("</strong></li>"));
        correction.shippingAddress().ifPresent(address -> list.append("<li>the shipping address to <strong>")
                .append(escape(String.join(", ", List.copyOf(address.fields().values())))).append("</strong></li>"));
        return list.append("</ul>").toString();
    }
}
