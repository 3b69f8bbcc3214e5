package shop.privacy;

import static shop.core.html.HtmlPage.escape;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import shop.core.email.EmailAddress;
import shop.core.mail.BackOfficeLinks;
import shop.core.mail.Email;
import shop.core.mail.OwnerMailLink;

/**
 * The privacy mails. Before verification a mail never says whether the shop holds anything
 * about the address: the verification mail reads the same for everyone. Mails to the owner carry
 * request ids, types and dates, never the person's address.
 */
public final class PrivacyMails {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy").withZone(ZoneOffset.UTC);

    private final String shopName;
    private final BackOfficeLinks backOffice;

    /** {@code backOffice}: where the owner's mails link to (the admin page's privacy tab; none without its address). */
    public PrivacyMails(String shopName, BackOfficeLinks backOffice) {
        this.shopName = shopName;
        this.backOffice = backOffice;
    }

    /** What a request asks for, as a phrase: "send you a copy of ...". */
    public static String asks(RequestType type) {
        return switch (type) {
            case ACCESS -> "send you a copy of all personal data it holds about this address";
            case DELETE -> "erase the personal data it holds about this address";
            case CORRECT -> "correct the name or shipping address on orders made with this address that have not shipped yet";
            case OPT_OUT -> "stop all marketing mail to this address and refuse new orders made with it";
            case REACTIVATE -> "accept orders from this address again after an earlier opt-out";
            case UNSUBSCRIBE -> "stop sending its newsletter to this address";
        };
    }

    public Email verification(EmailAddress to, RequestType type, String link) {
        String text = """
                Hello,

                someone, hopefully you, asked %1$s to %2$s.

                To go ahead, open this link within 1 hour. The page says what will happen and asks you to confirm:

                %3$s

                If it wasn't you, ignore this mail: nothing happens without your confirmation.
                """.formatted(shopName, asks(type), link);
        String html = """
                <p>Hello,</p>
                <p>someone, hopefully you, asked %1$s to %2$s.</p>
                <p><a href="%3$s">Review and confirm the request</a> (the link works for 1 hour).</p>
                <p>If it wasn't you, ignore this mail: nothing happens without your confirmation.</p>
                """.formatted(escape(shopName), escape(asks(type)), escape(link));
        return new Email(to, "Please confirm your privacy request to " + shopName, html, text, Map.of());
    }

    /** The answer, sent once the request is carried out; only now may it say what was found. */
    public Email result(EmailAddress to, RequestType type, Outcome outcome) {
        List<String> paragraphs = resultParagraphs(type, outcome);
        String text = "Hello,\n\n" + String.join("\n\n", paragraphs) + "\n\n" + shopName + "\n";
        StringBuilder html = new StringBuilder("<p>Hello,</p>");
        for (String paragraph : paragraphs) {
            html.append("<p>").append(linkify(paragraph)).append("</p>");
        }
        html.append("<p>").append(escape(shopName)).append("</p>");
        return new Email(to, "Your privacy request to " + shopName + " is done", html.toString(), text, Map.of());
    }

    /** The same words for the page shown after confirming. */
    public static List<String> resultParagraphs(RequestType type, Outcome outcome) {
        return switch (type) {
            case ACCESS -> List.of(
                    "Your copy is ready. This link downloads it as one JSON file for the next 7 days, after which"
                            + " the file is deleted: " + outcome.downloadLink().orElse(""),
                    outcome.foundAnything()
                            ? "It lists " + outcome.count("orders") + " order(s), your newsletter subscription and consent"
                            + " record if there is one, and every privacy request made for this address."
                            : "We hold nothing about this address apart from this request itself.");
            case DELETE -> erased(outcome);
            case CORRECT -> outcome.counts().containsKey("ordersMovedToNewAddress") ? List.of(
                    "Your account's email address was changed, after the new address confirmed it with a code. "
                            + outcome.count("ordersMovedToNewAddress") + " order(s) now carry the new address, and you sign"
                            + " in with it from now on. If you did not ask for this, reply to this mail at once.")
                    : List.of(outcome.count("ordersCorrected") > 0
                    ? "We corrected " + outcome.count("ordersCorrected") + " order(s) that have not shipped yet."
                    : "We found no order under this address that has not shipped yet, so nothing needed correcting."
                    + " Our newsletter records hold no name or postal address.");
            case OPT_OUT -> outcome.count(RequestExecutor.NEWER_SUBSCRIPTION_KEPT) > 0 ? List.of(
                    "Checkout refuses orders made with this address until you reactivate it: on the account page of the"
                            + " shop (sign in with a code mailed to this address), or with a new privacy request.",
                    SUBSCRIBED_AGAIN)
                    : List.of("We will send no marketing mail to this address, and checkout refuses orders made"
                    + " with it until you reactivate it: on the account page of the shop (sign in with a code mailed"
                    + " to this address), or with a new privacy request.");
            case REACTIVATE -> List.of(outcome.count("reactivated") > 0
                    ? "Orders from this address are welcome again. Marketing mail stays off unless you subscribe again."
                    : "This address was not deactivated; nothing needed changing.");
            case UNSUBSCRIBE -> List.of(outcome.count(RequestExecutor.NEWER_SUBSCRIPTION_KEPT) > 0 ? SUBSCRIBED_AGAIN
                    : "You are unsubscribed: we will send no more newsletters to this address.");
        };
    }

    /** An erasure's paragraphs; one carried out after the person subscribed again leaves that subscription. */
    private static List<String> erased(Outcome outcome) {
        boolean newerKept = outcome.count(RequestExecutor.NEWER_SUBSCRIPTION_KEPT) > 0;
        List<String> paragraphs = new ArrayList<>();
        paragraphs.add(outcome.foundAnything() && (outcome.count("ordersAnonymised") > 0
                || outcome.count("subscriberItemsErased") > 0 || outcome.count("stripeCustomersDeleted") > 0)
                ? "We erased your personal data: " + outcome.count("ordersAnonymised") + " order(s) no longer"
                + " carry your name, email, phone or addresses" + (newerKept ? "." : ", and your newsletter records are gone.")
                + keptToShip(outcome)
                : "We held no personal data about this address; nothing needed erasing.");
        if (newerKept) {
            paragraphs.add(SUBSCRIBED_AGAIN);
        }
        paragraphs.add("Tax law makes us keep what was sold, for how much, when and to which country, without your name."
                + " We keep a keyed fingerprint of your address, never the address, so that no marketing mail"
                + " reaches it unless you subscribe again.");
        return paragraphs;
    }

    /** An unsubscribe or erasure carried out after the person subscribed again: the later subscription stays. */
    private static final String SUBSCRIBED_AGAIN = "You subscribed to our newsletter again after this request, so that"
            + " newer subscription stays. Every newsletter has a link to unsubscribe.";

    private static String keptToShip(Outcome outcome) {
        int kept = outcome.count("ordersKeepingShippingUntilShipped");
        return kept == 0 ? "" : " " + kept + " of these order(s) are paid and not shipped yet: they keep your name and"
                + " shipping address, and nothing else about you, until they are shipped (or refunded in full), so that we"
                + " can deliver what you paid for; then those go too.";
    }

    /** The owner's part: which orders still hold a name and an address, and until when. */
    private static String shippingKept(Outcome outcome) {
        int kept = outcome == null ? 0 : outcome.count("ordersKeepingShippingUntilShipped");
        return kept == 0 ? "" : "\n" + kept + " paid order(s) still to ship keep the customer's name and shipping address"
                + " (email, phone and billing address are gone): ship them as usual; the name and address are removed"
                + " when you mark them shipped or refund them in full. Their detail shows shippingKeptUntilDone.\n";
    }

    /** To the shop's owner, for every request that was verified: what, when due, how it ended. */
    public Email ownerNotice(EmailAddress owner, PrivacyRequest request, RequestStatus status, Outcome outcome,
                             String failure) {
        String text = """
                A privacy request was verified and %1$s.

                Request   %2$s
                Type      %3$s
                Received  %4$s
                Due       %5$s
                Stores    %6$s
                Details   %7$s
                %8$s""".formatted(
                status == RequestStatus.COMPLETED ? "carried out" : "could NOT be carried out",
                request.id(), request.type().wireName(), request.receivedAt(), DAY.format(request.dueAt()),
                outcome == null ? "-" : String.join(", ", outcome.stores().stream().map(Store::logicalName).toList()),
                outcome == null ? "-" : outcome.auditDetail(),
                failure == null ? shippingKept(outcome) : "\nIt failed with " + failure + ". Try it again from the back office's"
                        + " Privacy requests tab, or finish it by hand, before the due date; the request keeps the address"
                        + " until then (PrivacyRequestsTable, pk REQUEST#" + request.id() + "), and is closed as lapsed,"
                        + " forgetting it, if it is not done by then. Its trail in the tab shows each step done and the"
                        + " one that failed.\n");
        return ownerMail(owner, "[privacy] " + request.type().wireName() + " request "
                + (status == RequestStatus.COMPLETED ? "completed" : "FAILED") + " (" + request.id() + ")", text);
    }

    /**
     * The owner's daily list of requests still open, with the days left to answer each, and of
     * those that lapsed this round (failed or stopped, not finished by their due date).
     */
    public Email digest(EmailAddress owner, List<PrivacyRequest> open, List<PrivacyRequest> lapsed, Instant now) {
        StringBuilder text = new StringBuilder();
        if (!open.isEmpty()) {
            text.append("Privacy requests still open on ").append(DAY.format(now)).append(":\n\n");
            for (PrivacyRequest request : open) {
                long days = request.daysLeft(now);
                text.append(String.format("%-36s  %-10s  %-8s  due %s  %s%n", request.id(), request.type().wireName(),
                        request.status().name().toLowerCase(java.util.Locale.ROOT), DAY.format(request.dueAt()),
                        days > 0 ? days + " day(s) left" : "OVERDUE"));
            }
            text.append("\nReceived requests wait for the person to use their link; verified or failed ones need you.\n");
        }
        if (!lapsed.isEmpty()) {
            text.append(text.isEmpty() ? "" : "\n").append("Privacy requests that reached their due date without being"
                    + " carried out, closed as lapsed on ").append(DAY.format(now)).append(":\n\n");
            for (PrivacyRequest request : lapsed) {
                text.append(String.format("%-36s  %-10s  due %s%n", request.id(), request.type().wireName(),
                        DAY.format(request.dueAt())));
            }
            text.append("\nTheir address was forgotten as the retention schedule says; their trail shows how far each"
                    + " got. The person may ask again.\n");
        }
        String subject = "[privacy] " + open.size() + " open request(s)"
                + (lapsed.isEmpty() ? "" : ", " + lapsed.size() + " lapsed");
        return ownerMail(owner, subject, text.toString());
    }

    /** An owner's mail: the table as preformatted text, then the way to the privacy tab when the page's address is known. */
    private Email ownerMail(EmailAddress owner, String subject, String table) {
        Optional<OwnerMailLink> link = backOffice.privacyRequests()
                .map(url -> new OwnerMailLink("The Privacy requests tab of the back office: ", url));
        String text = table + link.map(line -> "\n" + line.text() + "\n").orElse("");
        String html = "<pre>" + escape(table) + "</pre>" + link.map(OwnerMailLink::html).orElse("");
        return new Email(owner, subject, html, text, Map.of());
    }

    private static String linkify(String paragraph) {
        int at = paragraph.indexOf("https://");
        if (at < 0) {
            at = paragraph.indexOf("http://");
        }
        if (at < 0) {
            return escape(paragraph);
        }
        String url = paragraph.substring(at).split("\\s", 2)[0];
        return escape(paragraph.substring(0, at)) + "<a href=\"" + escape(url) + "\">" + escape(url) + "</a>"
                + escape(paragraph.substring(at + url.length()));
    }
}
