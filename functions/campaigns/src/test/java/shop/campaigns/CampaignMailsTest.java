package shop.campaigns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import shop.core.email.EmailAddress;

class CampaignMailsTest {
    private final CampaignMails mails = new CampaignMails("Shop", "1 Main St, Springfield", "https://api.example.com");

    private static Campaign campaign(String html) {
        return new Campaign("c1", "Winter", html, "Hi", Campaign.Status.DISPATCHED, Instant.EPOCH, Instant.EPOCH,
                "owner", 1, CampaignCounts.NONE, null);
    }

    @Test
    void aWholeHtmlDocumentGetsTheFooterInsideItsBody() {
        // An owner pasting a whole document from a mail editor: text after </html> is outside the
        // document, and mail clients may drop it, taking the unsubscribe link and the postal address with it.
        var mail = mails.mail(new EmailAddress("reader@example.com"), campaign(
                "<!doctype html><html><head><title>Winter</title></head><BODY><p>Hi</p></BODY></html>\n"), "tok");
        String html = mail.html();
        int footer = html.indexOf("1 Main St, Springfield");
        int unsubscribe = html.indexOf("https://api.example.com/newsletter/unsubscribe?token=tok");
        int bodyEnd = html.indexOf("</BODY>");
        assertTrue(unsubscribe > html.indexOf("<p>Hi</p>") && unsubscribe < bodyEnd, html);
        assertTrue(footer > 0 && footer < bodyEnd, html);
        assertTrue(html.strip().endsWith("</BODY></html>"), html);
    }

    @Test
    void aFragmentGetsTheFooterAfterIt() {
        String html = mails.mail(new EmailAddress("reader@example.com"), campaign("<p>Hi</p>"), "tok").html();
        assertTrue(html.startsWith("<p>Hi</p>"), html);
        assertTrue(html.indexOf("1 Main St, Springfield") > html.indexOf("<p>Hi</p>"), html);
        assertEquals(1, html.split("newsletter/unsubscribe", -1).length - 1, html);
    }
}
