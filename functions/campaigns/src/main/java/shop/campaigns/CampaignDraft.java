package shop.campaigns;

import java.nio.charset.StandardCharsets;
import shop.core.errors.InvalidInputException;

/** What the owner writes: subject, HTML, and the text part (made from the HTML when left out). */
public record CampaignDraft(String subject, String html, String text) {
    static final int MAX_SUBJECT = 200;
    static final int MAX_BODY = 200 * 1024;
    /**
     * Both parts together, in UTF-8, as the campaign's one DynamoDB item stores them: an item is at most 400 KB
     * (409,600 bytes) with its other attributes (the subject, the counts: under 2 KB). A text part made from a
     * long HTML body is about as long as its words, so two parts each under {@link #MAX_BODY} may not fit.
     */
    static final int MAX_STORED_BYTES = 384 * 1024;

    public CampaignDraft {
        if (subject == null || subject.isBlank()) {
            throw new InvalidInputException("subject", "A campaign needs a subject.");
        }
        subject = subject.strip();
        if (subject.length() > MAX_SUBJECT || subject.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("subject", "The subject is one line of at most " + MAX_SUBJECT + " characters.");
        }
        if (html == null || html.isBlank()) {
            throw new InvalidInputException("html", "A campaign needs an HTML body.");
        }
        if (html.length() > MAX_BODY) {
            throw new InvalidInputException("html", "The HTML body is limited to " + MAX_BODY / 1024 + " KiB.");
        }
        if (text == null || text.isBlank()) {
            text = HtmlText.of(html);
        } else if (text.length() > MAX_BODY) {
            throw new InvalidInputException("text", "The text body is limited to " + MAX_BODY / 1024 + " KiB.");
        }
        if (text.isBlank()) {
            throw new InvalidInputException("text", "The HTML body has no text to show in the plain-text part; write one.");
        }
        long stored = (long) html.getBytes(StandardCharsets.UTF_8).length + text.getBytes(StandardCharsets.UTF_8).length;
        if (stored > MAX_STORED_BYTES) {
            throw new InvalidInputException("html", "The HTML body and the plain-text part together are limited to "
                    + MAX_STORED_BYTES / 1024 + " KiB (the text part is made from the HTML when left out); these are "
                    + (stored + 1023) / 1024 + " KiB. Shorten the mail, or write a shorter text part.");
        }
    }
}
