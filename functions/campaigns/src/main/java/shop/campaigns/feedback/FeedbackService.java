package shop.campaigns.feedback;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import shop.core.email.EmailAddress;
import shop.core.html.HtmlPage;
import shop.core.logging.Log;
import shop.core.mail.Email;
import shop.core.mail.Mailer;
import shop.core.security.AddressHasher;

/**
 * Acts on SES's events: a permanent bounce or a complaint unsubscribes and suppresses the
 * address with the reason; a transient bounce is only counted; a campaign's counts follow its
 * events; an order mail that bounced for good is reported to the owner, who must reach the
 * customer another way. Each event is acted on once per recipient, whatever the order or the
 * number of times it comes: its record and its campaign count are written together, so no stop
 * in between leaves it seen but uncounted.
 */
public final class FeedbackService {
    private final MailFeedback feedback;
    private final Mailer mailer;
    private final EmailAddress ownerAddress;
    private final AddressHasher hasher;
    private final Clock clock;

    public FeedbackService(MailFeedback feedback, Mailer mailer, EmailAddress ownerAddress, AddressHasher hasher,
                           Clock clock) {
        this.feedback = feedback;
        this.mailer = mailer;
        this.ownerAddress = ownerAddress;
        this.hasher = hasher;
        this.clock = clock;
    }

    public void handle(SesEvent event) {
        for (String recipient : event.recipients()) {
            EmailAddress address;
            try {
                address = new EmailAddress(recipient);
            } catch (IllegalArgumentException notOurs) {
                Log.warn("ses_feedback_unusable_address", Map.of("messageId", event.messageId()));
                continue;
            }
            String addressHash = hasher.hash(address);
            String kind = event.type().equals("Bounce") ? "Bounce-" + event.bounceType() : event.type();
            // Lasting effects first: suppressing again is harmless, so a failure after it only repeats it.
            if (event.permanentBounce()) {
                feedback.suppress(addressHash, "bounce", event.at());
            } else if (event.type().equals("Complaint")) {
                feedback.suppress(addressHash, "complaint", event.at());
            }
            Optional<String> counter = counted(event, kind);
            Instant now = clock.instant();
            boolean first = counter.isPresent()
                    ? feedback.firstTimeCounted(event.messageId(), kind, addressHash, now, event.campaignId().orElseThrow(),
                            counter.get())
                    : feedback.firstTime(event.messageId(), kind, addressHash, now);
            if (!first) {
                continue;
            }
            if (event.permanentBounce() && event.orderNumber().isPresent()) {
                try {
                    mailer.send(ownerMail(event, address));
                } catch (RuntimeException e) {
                    feedback.forget(event.messageId(), kind, addressHash);
                    throw e;
                }
            }
            Log.info("ses_feedback", Map.of("type", kind, "messageId", event.messageId(), "address", addressHash,
                    "campaign", event.campaignId().orElse(""), "orderMail", event.orderNumber().isPresent()));
        }
    }

    /**
     * The campaign counter this event adds one to, if any. An order mail counts on no campaign
     * (only campaign mails carry the campaign tag): its record alone is what the owner's mail may
     * have to undo, and undoing a count's record would count again.
     */
    private static Optional<String> counted(SesEvent event, String kind) {
        if (event.campaignId().isEmpty() || event.orderNumber().isPresent()) {
            return Optional.empty();
        }
        return switch (kind) {
            case "Bounce-Permanent" -> Optional.of("bounced");
            case "Bounce-Transient", "Bounce-Undetermined" -> Optional.of("softBounced");
            case "Complaint" -> Optional.of("complained");
            case "Delivery" -> Optional.of("delivered");
            default -> Optional.empty();
        };
    }

    private Email ownerMail(SesEvent event, EmailAddress customer) {
        String order = event.orderNumber().orElseThrow();
        String subject = "Order " + order + ": the customer's mail bounced";
        String text = "The mail \"" + event.subject() + "\" about order " + order + " to " + customer.value()
                + " could not be delivered (" + event.diagnostic() + ").\n\n"
                + "The customer may have mistyped their address: reach them another way (the order's phone"
                + " number or shipping address) to confirm it.\n";
        String html = "<p>The mail &ldquo;" + HtmlPage.escape(event.subject()) + "&rdquo; about order <b>"
                + HtmlPage.escape(order) + "</b> to <b>" + HtmlPage.escape(customer.value())
                + "</b> could not be delivered (" + HtmlPage.escape(event.diagnostic()) + ").</p>"
                + "<p>The customer may have mistyped their address: reach them another way (the order's phone"
                + " number or shipping address) to confirm it.</p>";
        return new Email(ownerAddress, subject, html, text, Map.of());
    }
}
