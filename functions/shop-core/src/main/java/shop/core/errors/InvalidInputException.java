package shop.core.errors;

/** The caller sent something we cannot accept; {@code field} names what to fix (or null). */
public class InvalidInputException extends RuntimeException {
    private final String field;

    public InvalidInputException(String field, String detail) {
        super(detail);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
