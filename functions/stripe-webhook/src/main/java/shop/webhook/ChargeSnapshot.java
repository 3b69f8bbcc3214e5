package shop.webhook;

/** A charge's refund state as the payment provider holds it now. */
public record ChargeSnapshot(String id, String paymentIntentId, long amountRefunded, boolean fullyRefunded) {
}
