package shop.newsletter;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import shop.core.mail.Email;
import shop.core.mail.Mailer;

/** Keeps what would have been sent. */
final class RecordingMailer implements Mailer {
    final List<Email> sent = new ArrayList<>();

    @Override
    public String send(Email email) {
        sent.add(email);
        return "message-" + sent.size();
    }

    Email last() {
        return sent.get(sent.size() - 1);
    }

    /** The token of the first link to {@code path} in a mail's text. */
    static String tokenFrom(String text, String path) {
        Matcher m = Pattern.compile(Pattern.quote(path) + "\\?token=([A-Za-z0-9_-]+)").matcher(text);
        if (!m.find()) {
            throw new AssertionError("No " + path + " link in: " + text);
        }
        return m.group(1);
    }
}
