package shop.core.http;

import shop.core.errors.InvalidInputException;

/** A body in a format the route does not take: 415. */
public class UnsupportedMediaTypeException extends InvalidInputException {
    public UnsupportedMediaTypeException(String expected) {
        super(null, "Send the body as " + expected + " (Content-Type: " + expected + ").");
    }
}
