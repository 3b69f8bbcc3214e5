package shop.campaigns.feedback;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the feedback function needs of one SES event (the {@code detail} of the EventBridge event
 * the configuration set publishes).
 *
 * @param type        Bounce, Complaint, Delivery, Reject, Rendering Failure, ...
 * @param bounceType  Permanent, Transient or Undetermined (bounces only)
 * @param recipients  the addresses the event is about
 * @param at          when it happened (the bounce's, complaint's or delivery's own timestamp)
 * @param campaignId  the {@code campaign} message tag of a campaign mail
 * @param orderNumber the {@code X-Shop-Order} header of an order mail
 */
public record SesEvent(String type, String messageId, String bounceType, List<String> recipients, Instant at,
                       Optional<String> campaignId, Optional<String> orderNumber, String subject, String diagnostic) {
    public SesEvent {
        recipients = List.copyOf(recipients);
    }

    boolean permanentBounce() {
        return type.equals("Bounce") && "Permanent".equals(bounceType);
    }
}
