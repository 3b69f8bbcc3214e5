package shop.privacy.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import shop.core.mail.Email;
import shop.core.mail.Mailer;

/** Keeps what would have been sent; can be told to fail. */
public final class RecordingMailer implements Mailer {
    public final List<Email> sent = new ArrayList<>();
    public boolean failing;

    @Override
    public String send(Email email) {
        if (failing) {
            throw new IllegalStateException("mail is down");
        }
        sent.add(email);
        return "message-" + sent.size();
    }

    public List<Email> to(String address) {
        return sent.stream().filter(m -> m.to().value().equals(address)).toList();
    }

    public Email last(String address) {
        List<Email> mails = to(address);
        if (mails.isEmpty()) {
            throw new AssertionError("No mail to " + address);
        }
        return mails.get(mails.size() - 1);
    }

    /** The token of the first link to {@code path} in a text. */
    public static String tokenFrom(String text, String path) {
        Matcher m = Pattern.compile(Pattern.quote(path) + "\\?token=([A-Za-z0-9_-]+)").matcher(text);
        if (!m.find()) {
            throw new AssertionError("No " + path + " link in: " + text);
        }
        return m.group(1);
    }
}
