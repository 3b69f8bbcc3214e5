package shop.newsletter;

import static shop.core.html.HtmlPage.escape;

import java.util.Map;
import shop.core.email.EmailAddress;
import shop.core.mail.Email;

/** The newsletter's mails. Every one carries RFC 8058 one-click unsubscribe headers. */
public final class NewsletterMails {
    private final String shopName;

    public NewsletterMails(String shopName) {
        this.shopName = shopName;
    }

    public Email confirmation(EmailAddress to, String baseUrl, String confirmToken, String unsubscribeToken) {
        String confirmUrl = baseUrl + "/newsletter/confirm?token=" + confirmToken;
        String unsubscribeUrl = baseUrl + "/newsletter/unsubscribe?token=" + unsubscribeToken;
        String text = """
                Hello,

                someone, hopefully you, asked to receive news about %1$s at this address.
                To confirm, open this link within 48 hours:

                %2$s

                If it wasn't you, ignore this mail: without confirmation we forget the address in 48 hours.
                """.formatted(shopName, confirmUrl);
        String html = """
                <p>Hello,</p>
                <p>someone, hopefully you, asked to receive news about %1$s at this address.</p>
                <p><a href="%2$s">Confirm my subscription</a> (the link works for 48 hours).</p>
                <p>If it wasn't you, ignore this mail: without confirmation we forget the address in 48 hours.</p>
                """.formatted(escape(shopName), escape(confirmUrl));
        return new Email(to, "Please confirm your subscription to " + shopName, html, text, Map.of(
                "List-Unsubscribe", "<" + unsubscribeUrl + ">",
                "List-Unsubscribe-Post", "List-Unsubscribe=One-Click"));
    }
}
