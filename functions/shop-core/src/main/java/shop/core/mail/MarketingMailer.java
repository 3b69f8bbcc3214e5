package shop.core.mail;

import java.util.Map;
import shop.core.errors.ConflictException;
import shop.core.logging.Log;
import shop.core.security.AddressHasher;

/**
 * The only way marketing mail (newsletters, offers) may leave the shop: it refuses any address on
 * the suppression list, whoever built the recipient list and however old it is. Transactional
 * mail (order confirmations, verification links) goes through the plain {@link Mailer}.
 */
public final class MarketingMailer implements Mailer {
    private final Mailer mailer;
    private final SuppressionList suppressions;
    private final AddressHasher hasher;

    public MarketingMailer(Mailer mailer, SuppressionList suppressions, AddressHasher hasher) {
        this.mailer = mailer;
        this.suppressions = suppressions;
        this.hasher = hasher;
    }

    /** @throws SuppressedAddressException when the recipient unsubscribed, opted out or was erased */
    @Override
    public String send(Email email) {
        String addressHash = hasher.hash(email.to());
        if (suppressions.suppressed(addressHash)) {
            Log.info("marketing_mail_refused", Map.of("address", addressHash));
            throw new SuppressedAddressException();
        }
        return mailer.send(email);
    }

    /** The recipient is on the suppression list; nothing was sent. */
    public static final class SuppressedAddressException extends ConflictException {
        public SuppressedAddressException() {
            super("This address unsubscribed or asked to be forgotten: it gets no marketing mail without a new opt-in.");
        }
    }
}
