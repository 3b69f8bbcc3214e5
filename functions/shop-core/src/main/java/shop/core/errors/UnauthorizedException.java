package shop.core.errors;

/** Credentials missing or wrong. The detail never says which, so keys cannot be probed. */
public class UnauthorizedException extends RuntimeException {
    public UnauthorizedException(String detail) {
        super(detail);
    }
}
