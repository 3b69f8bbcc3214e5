package shop.webhook;

/** Checks that a request body is an event the payment provider signed for us, before anything else is read. */
public interface WebhookVerifier {
    /** @throws InvalidSignatureException when the signature, the secret or the timestamp does not hold */
    StripeEvent verify(String payload, String signatureHeader);
}
