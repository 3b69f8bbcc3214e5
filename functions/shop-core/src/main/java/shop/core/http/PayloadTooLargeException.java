package shop.core.http;

import shop.core.errors.InvalidInputException;

/** A body over the route's limit: 413, nothing read further. */
public class PayloadTooLargeException extends InvalidInputException {
    public PayloadTooLargeException(int limitBytes) {
        super(null, "The request body is larger than " + limitBytes + " bytes.");
    }
}
