package shop.webhook;

import shop.core.errors.InvalidInputException;

/** The request is not a Stripe event signed with our secret within the tolerance: 400, nothing done. */
public class InvalidSignatureException extends InvalidInputException {
    public InvalidSignatureException(String detail) {
        super("Stripe-Signature", detail);
    }
}
