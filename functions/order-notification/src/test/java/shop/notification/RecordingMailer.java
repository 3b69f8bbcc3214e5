package shop.notification;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import shop.core.mail.Email;
import shop.core.mail.Mailer;

/** Keeps what would have been sent; can be made to fail a number of sends. */
final class RecordingMailer implements Mailer {
    final List<Email> sent = new CopyOnWriteArrayList<>();
    final AtomicInteger failures = new AtomicInteger();

    @Override
    public String send(Email email) {
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("SES refused");
        }
        sent.add(email);
        return "ses-" + sent.size();
    }

    List<Email> to(String address) {
        return sent.stream().filter(mail -> mail.to().value().equals(address)).toList();
    }
}
