package shop.adminorders;

import java.util.Optional;

/**
 * Why the shop's mail to an address went undelivered before: the SES feedback function's entry for it (a permanent
 * bounce, or a complaint), read before the back office points an order's mail at the address.
 */
public interface MailSuppressions {
    /** A permanent bounce. */
    String BOUNCE = "bounce";
    /** The person marked the shop's mail as spam. */
    String COMPLAINT = "complaint";

    /**
     * {@link #BOUNCE} or {@link #COMPLAINT} when the shop's mail to {@code address} bounced for good or was complained
     * about (the latest such event); empty otherwise, including an address only unsubscribed from the newsletter, which
     * still takes its order mail.
     */
    Optional<String> undeliverable(String address);
}
