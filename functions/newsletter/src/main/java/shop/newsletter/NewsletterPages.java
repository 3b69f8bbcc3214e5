package shop.newsletter;

import shop.core.html.HtmlPage;

/** The pages the newsletter's links open. */
final class NewsletterPages {
    private NewsletterPages() {
    }

    /**
     * Mail scanners open links, so the GET of a confirm link only shows this button; its POST
     * confirms. The form posts to the page's own URL, token included.
     */
    static String confirmForm(String token) {
        return HtmlPage.render("Confirm your subscription", """
                <p>Press the button to confirm that you want our newsletter at this address.</p>
                <form method="post" action="?token=%s">
                <button type="submit">Confirm my subscription</button>
                </form>
                <p>If you did not sign up, close this page: without confirmation we forget the address in 48 hours.</p>
                """.formatted(HtmlPage.escape(token)));
    }

    static String confirmed() {
        return HtmlPage.render("Subscription confirmed",
                "<p>Thank you: your address is confirmed. Every mail we send has a link to unsubscribe.</p>");
    }

    /**
     * Mail scanners follow GET links, so the GET only shows this form; the POST it sends does
     * the unsubscribing. The form posts to the page's own URL, token included.
     */
    static String unsubscribeForm(String token) {
        return HtmlPage.render("Unsubscribe from our newsletter", """
                <p>Press the button to stop receiving our newsletter at this address.</p>
                <form method="post" action="?token=%s">
                <input type="hidden" name="List-Unsubscribe" value="One-Click">
                <button type="submit">Unsubscribe</button>
                </form>
                """.formatted(HtmlPage.escape(token)));
    }

    static String unsubscribed() {
        return HtmlPage.render("Unsubscribed",
                "<p>You will receive no more newsletters at this address. You can subscribe again at any time.</p>");
    }

    static String invalidLink() {
        return HtmlPage.render("This link is not valid",
                "<p>The link may have expired, been used already, or been replaced by a newer one. "
                        + "Nothing was changed. Sign up again on our site to get a fresh link.</p>");
    }
}
