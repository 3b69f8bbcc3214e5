package shop.campaigns.feedback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import shop.core.email.EmailAddress;
import shop.core.html.HtmlPage;
import shop.core.logging.Log;
import shop.core.mail.BackOfficeLinks;
import shop.core.mail.Email;
import shop.core.mail.Mailer;
import shop.core.mail.OwnerMailLink;
import shop.core.security.AddressHasher;

/**
 * Acts on SES's events: a permanent bounce or a complaint unsubscribes and suppresses the
 * address with the reason; a transient bounce is only counted; a campaign's counts follow its
 * events; an order mail that bounced for good is reported to the owner, who must reach the
 * customer another way. Each event is acted on once per recipient, whatever the order or the
 * number of times it comes: its record and its campaign count are written together, so no stop
 * in between leaves it seen but uncounted; the owner's mail is claimed in the record and marked
 * sent after, so a stop in between is mailed by the retry (twice only if stopped after SES
 * accepted it).
 */
public final class FeedbackService {
    /**
     * A claim of the owner's mail this old has no live holder: longer than the function may run
     * (template.yaml: 15 s), shorter than Lambda's wait before retrying a failed asynchronous
     * invocation (1 minute, then 2; EventBridge invokes the function asynchronously, and
     * {@code EventInvokeConfig} keeps both retries). So the retry of a stopped delivery always
     * takes the claim over; TemplateTest checks the timeout and the retries against it.
     */
    public static final Duration OWNER_MAIL_STALE_AFTER = Duration.ofSeconds(45);

    private final MailFeedback feedback;
    private final Mailer mailer;
    private final EmailAddress ownerAddress;
    private final AddressHasher hasher;
    private final Clock clock;
    private final BackOfficeLinks backOffice;

    public FeedbackService(MailFeedback feedback, Mailer mailer, EmailAddress ownerAddress, AddressHasher hasher,
                           Clock clock) {
        this(feedback, mailer, ownerAddress, hasher, clock, BackOfficeLinks.none());
    }

    /** {@code backOffice}: where the owner's mail about a bounced order mail links to (the order's search on the admin page). */
    public FeedbackService(MailFeedback feedback, Mailer mailer, EmailAddress ownerAddress, AddressHasher hasher,
                           Clock clock, BackOfficeLinks backOffice) {
        this.feedback = feedback;
        this.mailer = mailer;
        this.ownerAddress = ownerAddress;
        this.hasher = hasher;
        this.clock = clock;
        this.backOffice = backOffice;
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
            boolean first;
            if (event.permanentBounce() && event.orderNumber().isPresent()) {
                first = toldOwner(event, kind, address, addressHash);
            } else {
                Optional<String> counter = counted(event, kind);
                Instant now = clock.instant();
                first = counter.isPresent()
                        ? feedback.firstTimeCounted(event.messageId(), kind, addressHash, now,
                                event.campaignId().orElseThrow(), counter.get())
                        : feedback.firstTime(event.messageId(), kind, addressHash, now);
            }
            if (!first) {
                continue;
            }
            Log.info("ses_feedback", Map.of("type", kind, "messageId", event.messageId(), "address", addressHash,
                    "campaign", event.campaignId().orElse(""), "orderMail", event.orderNumber().isPresent()));
        }
    }

    /**
     * Mails the owner about an order mail's permanent bounce, at least once and at most twice:
     * claimed in the event's record, sent, marked sent. False when it was sent before. A failure
     * (SES refusing, a stop) leaves the claim, which the retry takes over once older than
     * {@link #OWNER_MAIL_STALE_AFTER}; a claim younger than that is someone else's sending right
     * now (a duplicate event), so this delivery fails to be retried, and the retry finds it sent
     * or stale. Twice only when stopped after SES accepted the mail and before it is marked sent.
     */
    private boolean toldOwner(SesEvent event, String kind, EmailAddress customer, String addressHash) {
        Instant now = clock.instant();
        String token = UUID.randomUUID().toString();
        switch (feedback.claimOwnerMail(event.messageId(), kind, addressHash, token, now,
                now.minus(OWNER_MAIL_STALE_AFTER))) {
            case ALREADY_SENT -> {
                return false;
            }
            case HELD_ELSEWHERE -> {
                Log.info("ses_feedback_owner_mail_in_progress_elsewhere", Map.of("messageId", event.messageId(),
                        "address", addressHash));
                throw new IllegalStateException("The owner's mail about this bounce is being sent by another"
                        + " invocation; retried to check that it went out");
            }
            case CLAIMED -> {
                // go on
            }
        }
        String ownerMessageId = mailer.send(ownerMail(event, customer));
        try {
            feedback.ownerMailSent(event.messageId(), kind, addressHash, ownerMessageId, clock.instant());
        } catch (RuntimeException e) {
            // SES has the mail: failing now would only have the retry send it again once the claim is
            // stale. The claim stays, so no duplicate event sends it within OWNER_MAIL_STALE_AFTER either.
            Log.error("ses_feedback_owner_mail_sent_not_recorded", Map.of("messageId", event.messageId(),
                    "ownerMessageId", ownerMessageId, "exception", e.getClass().getName()));
        }
        return true;
    }

    /**
     * The campaign counter this event adds one to, if any. An order mail counts on no campaign
     * (only campaign mails carry the campaign tag).
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

    /** What the owner can do once they have the right address (admin-orders' PUT /admin/orders/{id}/email). */
    static final String CORRECT_IT = "Then correct the email on the order in the back office (\"Correct the customer's"
            + " email\" on the order's page): the customer gets the order's mail at the right address.";

    private Email ownerMail(SesEvent event, EmailAddress customer) {
        String order = event.orderNumber().orElseThrow();
        String subject = "Order " + order + ": the customer's mail bounced";
        // The event knows the order by its number only (the mail's tag): the link opens the page's search for it.
        Optional<OwnerMailLink> link = backOffice.orderNumber(order)
                .map(url -> new OwnerMailLink("The order in the back office: ", url));
        String text = "The mail \"" + event.subject() + "\" about order " + order + " to " + customer.value()
                + " could not be delivered (" + event.diagnostic() + ").\n\n"
                + "The customer may have mistyped their address: reach them another way (the order's phone"
                + " number or shipping address) to confirm it. " + CORRECT_IT + "\n"
                + link.map(line -> "\n" + line.text() + "\n").orElse("");
        String html = "<p>The mail &ldquo;" + HtmlPage.escape(event.subject()) + "&rdquo; about order <b>"
                + HtmlPage.escape(order) + "</b> to <b>" + HtmlPage.escape(customer.value())
                + "</b> could not be delivered (" + HtmlPage.escape(event.diagnostic()) + ").</p>"
                + "<p>The customer may have mistyped their address: reach them another way (the order's phone"
                + " number or shipping address) to confirm it. " + HtmlPage.escape(CORRECT_IT) + "</p>"
                + link.map(OwnerMailLink::html).orElse("");
        return new Email(ownerAddress, subject, html, text, Map.of());
    }
}
