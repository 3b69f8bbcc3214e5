package shop.core.mail;

import static shop.core.html.HtmlPage.escape;

/**
 * The one way an owner's mail shows a link to the admin page: a lead in words, then the address, in the text part as
 * one line ({@link #text()}), in the HTML part as one paragraph with the address as a link ({@link #html()}, the lead
 * and the address escaped). The address comes from {@link BackOfficeLinks}, so a mail without the page's address has
 * no link and no line:
 *
 * <pre>{@code
 * backOffice.order(order.id()).map(url -> new OwnerMailLink("The order in the back office: ", url))
 *         .ifPresent(link -> {
 *             text.append('\n').append(link.text()).append('\n');   // its own paragraph after the mail's last line
 *             html.append(link.html());
 *         });
 * }</pre>
 *
 * @param lead what the link opens, as the owner reads it, ending as it runs into the address ("Open it in the back
 *             office to ship it: "); plain text, one line
 * @param url  the address on the admin page ({@link BackOfficeLinks#order}, {@link BackOfficeLinks#orderNumber},
 *             {@link BackOfficeLinks#privacyRequests}); one line
 */
public record OwnerMailLink(String lead, String url) {
    public OwnerMailLink {
        if (lead == null || lead.contains("\n") || lead.contains("\r")) {
            throw new IllegalArgumentException("A link's lead is one line");
        }
        if (url == null || url.isBlank() || url.contains("\n") || url.contains("\r")) {
            throw new IllegalArgumentException("A link is one line");
        }
    }

    /** The text part's line: the lead, then the address; no line break (the mail lays out its paragraphs). */
    public String text() {
        return lead + url;
    }

    /** The HTML part's paragraph: {@code <p>lead<a href="url">url</a></p>}, everything escaped; no line break after it. */
    public String html() {
        String href = escape(url);
        return "<p>" + escape(lead) + "<a href=\"" + href + "\">" + href + "</a></p>";
    }
}
