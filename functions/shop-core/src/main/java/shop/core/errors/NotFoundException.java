package shop.core.errors;

/** The thing asked for does not exist (or is expired, or was already used up). */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String detail) {
        super(detail);
    }
}
