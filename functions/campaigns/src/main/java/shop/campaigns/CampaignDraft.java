package shop.campaigns;

import shop.core.errors.InvalidInputException;

/** What the owner writes: subject, HTML, and the text part (made from the HTML when left out). */
public record CampaignDraft(String subject, String html, String text) {
    static final int MAX_SUBJECT = 200;
    static final int MAX_BODY = 200 * 1024;

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
    }
}
