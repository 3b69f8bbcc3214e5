package shop.webhook;

/**
 * A dispute as Stripe holds it now. {@code evidenceDueBy} is epoch seconds, or null where the
 * card's bank allows no response (Stripe sends 0 or null then).
 */
public record DisputeSnapshot(String id, String chargeId, String paymentIntentId, long amount, String currency,
                              String reason, String status, Long evidenceDueBy, long created) {
}
