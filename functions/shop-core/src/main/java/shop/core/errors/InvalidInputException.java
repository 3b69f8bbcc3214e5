package shop.core.errors;

/** The caller sent something we cannot accept; {@code field} names what to fix (or null). */
public class InvalidInputException extends RuntimeException {
    private final String field;

    public InvalidInputException(String field, String detail) {
        super(detail);
        this.field = field;
    }

    /** A {@code page} token the list did not hand out: every paged list answers it with these words. */
    public static InvalidInputException unknownPageToken() {
        return new InvalidInputException("page", "The page token is not one this list handed out; start from the first page.");
    }

    public String field() {
        return field;
    }
}
