package shop.core.errors;

/** The request is valid but the current state forbids it (sold out, account deactivated...). */
public class ConflictException extends RuntimeException {
    public ConflictException(String detail) {
        super(detail);
    }
}
