package shop.commerce.reservations;

/** A client already holds as many checkouts or pieces as a {@link HoldLimit} allows; nothing was held. */
public class TooManyHoldsException extends RuntimeException {
    public TooManyHoldsException() {
        super("The client holds as many checkouts or pieces as it may.");
    }
}
