package shop.privacy.inbound;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a subject asks to unsubscribe, as the privacy policy tells people to write it:
 * "Unsubscribe" in any case, with surrounding space and any number of "Re:" prefixes (a reply
 * to one of our mails) ignored. Nothing looser: a subject merely containing the word is someone
 * writing about something else.
 */
public final class UnsubscribeSubject {
    private static final Pattern REPLY = Pattern.compile("(?i)re\\s*:\\s*");

    private UnsubscribeSubject() {
    }

    public static boolean matches(String subject) {
        String text = subject == null ? "" : subject.strip();
        Matcher reply = REPLY.matcher(text);
        while (reply.lookingAt()) {
            text = text.substring(reply.end()).strip();
            reply = REPLY.matcher(text);
        }
        return text.toLowerCase(Locale.ROOT).equals("unsubscribe");
    }
}
