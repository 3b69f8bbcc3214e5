package shop.campaigns.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import shop.core.errors.InvalidInputException;

/**
 * Reads an SES event: the {@code detail} of the EventBridge event a configuration set publishes
 * (detail-type "Email Bounced", "Email Complaint Received", "Email Delivered", ...), or the bare
 * SES event as an SNS destination would carry it.
 */
public final class SesEvents {
    /** The header order mails carry (functions/order-notification), naming the order. */
    public static final String ORDER_HEADER = "X-Shop-Order";
    /** The message tag campaign mails carry. */
    public static final String CAMPAIGN_TAG = "campaign";

    private SesEvents() {
    }

    public static SesEvent parse(JsonNode event) {
        JsonNode detail = event.has("detail") ? event.get("detail") : event;
        String type = detail.path("eventType").asText(detail.path("notificationType").asText(""));
        JsonNode mail = detail.path("mail");
        String messageId = mail.path("messageId").asText("");
        if (type.isEmpty() || messageId.isEmpty()) {
            throw new InvalidInputException("detail", "Not an SES event: no eventType or mail.messageId");
        }
        List<String> recipients = new ArrayList<>();
        String bounceType = null;
        String diagnostic = "";
        JsonNode body;
        switch (type) {
            case "Bounce" -> {
                body = detail.path("bounce");
                bounceType = body.path("bounceType").asText("Undetermined");
                for (JsonNode r : body.path("bouncedRecipients")) {
                    recipients.add(r.path("emailAddress").asText());
                    if (diagnostic.isEmpty()) {
                        diagnostic = r.path("diagnosticCode").asText(r.path("status").asText(""));
                    }
                }
                if (diagnostic.isEmpty()) {
                    diagnostic = body.path("bounceSubType").asText("");
                }
            }
            case "Complaint" -> {
                body = detail.path("complaint");
                for (JsonNode r : body.path("complainedRecipients")) {
                    recipients.add(r.path("emailAddress").asText());
                }
            }
            case "Delivery" -> {
                body = detail.path("delivery");
                for (JsonNode r : body.path("recipients")) {
                    recipients.add(r.asText());
                }
            }
            default -> {
                body = detail.path(type.equals("Reject") ? "reject" : "failure");
                for (JsonNode r : mail.path("destination")) {
                    recipients.add(r.asText());
                }
            }
        }
        Instant at = instant(body.path("timestamp").asText(null))
                .or(() -> instant(mail.path("timestamp").asText(null)))
                .orElseThrow(() -> new InvalidInputException("timestamp", "An SES event without a time"));
        Optional<String> campaign = Optional.empty();
        JsonNode tag = mail.path("tags").path(CAMPAIGN_TAG);
        if (tag.isArray() && !tag.isEmpty()) {
            campaign = Optional.of(tag.get(0).asText());
        }
        Optional<String> order = Optional.empty();
        for (JsonNode header : mail.path("headers")) {
            if (header.path("name").asText().equalsIgnoreCase(ORDER_HEADER)) {
                order = Optional.of(header.path("value").asText());
            }
        }
        return new SesEvent(type, messageId, bounceType, recipients, at, campaign, order,
                mail.path("commonHeaders").path("subject").asText(""), diagnostic);
    }

    private static Optional<Instant> instant(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
