package shop.campaigns;

import java.util.LinkedHashMap;
import java.util.Map;
import shop.core.email.EmailAddress;
import shop.core.html.HtmlPage;
import shop.core.mail.Email;

/**
 * A campaign as one recipient gets it: the owner's subject and bodies, then why the person gets
 * it, their own unsubscribe link and the shop's postal address (as anti-spam law asks), and the
 * RFC 8058 one-click headers the large mailbox providers require of bulk senders. No tracking
 * pixel, no rewritten links.
 */
public final class CampaignMails {
    private final String shopName;
    private final String postalAddress;
    private final String apiBaseUrl;

    public CampaignMails(String shopName, String postalAddress, String apiBaseUrl) {
        this.shopName = shopName;
        this.postalAddress = postalAddress == null ? "" : postalAddress.strip();
        this.apiBaseUrl = apiBaseUrl;
    }

    public boolean hasPostalAddress() {
        return !postalAddress.isEmpty();
    }

    public String unsubscribeUrl(String token) {
        return unsubscribeUrl(apiBaseUrl, token);
    }

    private static String unsubscribeUrl(String base, String token) {
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/newsletter/unsubscribe?token=" + token;
    }

    public Email mail(EmailAddress to, Campaign campaign, String unsubscribeToken) {
        return mail(to, campaign.subject(), campaign, unsubscribeUrl(unsubscribeToken));
    }

    /** The owner's test: the same mail, marked as a test, with a link that unsubscribes nobody. */
    public Email test(EmailAddress owner, Campaign campaign, String apiBaseUrl) {
        return mail(owner, "[Test] " + campaign.subject(), campaign,
                unsubscribeUrl(apiBaseUrl, "test-link-unsubscribes-nobody"));
    }

    /**
     * The footer inside the body of a whole HTML document (text after {@code </html>} is outside
     * the document, and a mail client may drop it, link and address with it); after a fragment.
     */
    private static String withFooter(String html, String footer) {
        for (int at = html.length() - "</body".length(); at >= 0; at--) {
            if (html.regionMatches(true, at, "</body", 0, "</body".length())) {
                return html.substring(0, at) + footer + html.substring(at);
            }
        }
        return html + footer;
    }

    private Email mail(EmailAddress to, String subject, Campaign campaign, String unsubscribeUrl) {
        String why = "You receive this because you subscribed to " + shopName + "'s newsletter.";
        String footer = "\n<hr>\n<p style=\"font-size:12px;color:#666\">" + HtmlPage.escape(why)
                + " <a href=\"" + HtmlPage.escape(unsubscribeUrl) + "\">Unsubscribe</a> with one click.</p>\n"
                + "<p style=\"font-size:12px;color:#666\">" + HtmlPage.escape(shopName) + ", "
                + HtmlPage.escape(postalAddress) + "</p>\n";
        String html = withFooter(campaign.html(), footer);
        String text = campaign.text() + "\n\n-- \n" + why + "\nUnsubscribe: " + unsubscribeUrl + "\n"
                + shopName + ", " + postalAddress + "\n";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("List-Unsubscribe", "<" + unsubscribeUrl + ">");
        headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        return new Email(to, subject, html, text, headers);
    }
}
