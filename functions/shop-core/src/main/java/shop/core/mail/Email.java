package shop.core.mail;

import java.util.Map;
import shop.core.email.EmailAddress;

/**
 * One message to one recipient, HTML and text. Header values are checked here, where the
 * message is built, so no input can ever add a header line.
 */
public record Email(EmailAddress to, String subject, String html, String text, Map<String, String> headers) {
    public Email {
        requireSingleLine("subject", subject);
        headers = Map.copyOf(headers);
        headers.forEach((name, value) -> {
            requireSingleLine("header name", name);
            requireSingleLine("header " + name, value);
        });
        if (html == null || text == null) {
            throw new IllegalArgumentException("A mail needs both an HTML and a text body");
        }
    }

    private static void requireSingleLine(String what, String value) {
        if (value == null || value.isBlank() || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("Mail " + what + " must be one non-empty line");
        }
    }
}
