package shop.local.stack;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One message as the SES stand-in recorded it; {@code to} holds the To addresses only. The
 * configuration set it was sent through (null if none) and its message tags are what SES uses to
 * send the mail's bounce, complaint and delivery events back, carrying the tags in them.
 */
public record SentMail(String messageId, String from, List<String> to, String subject, String html, String text,
                       Map<String, String> headers, Instant at, String configurationSet, Map<String, String> tags) {

    public SentMail {
        to = List.copyOf(to);
        headers = Map.copyOf(headers);
        tags = Map.copyOf(tags);
    }

    /** True when one of the To addresses is {@code address}, bare or as in "Name &lt;address&gt;". */
    public boolean isTo(String address) {
        String wanted = address.trim().toLowerCase(java.util.Locale.ROOT);
        return to.stream().map(a -> a.trim().toLowerCase(java.util.Locale.ROOT))
                .anyMatch(a -> a.equals(wanted) || a.endsWith("<" + wanted + ">"));
    }
}
