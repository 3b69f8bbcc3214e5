package shop.campaigns;

import java.time.Instant;
import java.util.Optional;
import shop.core.email.EmailAddress;

/** The subscriber side of a send: the address, and an unsubscribe link made for this one mail. */
public interface Recipients {
    /**
     * Stores {@code tokenHash} as an unsubscribe token of the newsletter (naming the campaign, so
     * an unsubscribe through it is counted) and returns the address; empty when the person is no
     * longer a confirmed subscriber, in which case nothing is stored.
     */
    Optional<EmailAddress> issueUnsubscribeLink(String addressHash, String campaignId, String tokenHash,
                                                Instant expiresAt, Instant now);
}
