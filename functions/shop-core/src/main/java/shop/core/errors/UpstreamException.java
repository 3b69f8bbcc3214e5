package shop.core.errors;

/**
 * A service we call on the caller's behalf (the payment provider) failed or did not answer;
 * nothing was kept, and the caller may try again.
 */
public class UpstreamException extends RuntimeException {
    public UpstreamException(String detail, Throwable cause) {
        super(detail, cause);
    }
}
