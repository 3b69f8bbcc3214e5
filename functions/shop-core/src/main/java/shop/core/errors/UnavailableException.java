package shop.core.errors;

/** A store we depend on refused for now (throttling); the caller may retry later. */
public class UnavailableException extends RuntimeException {
    public UnavailableException(String detail, Throwable cause) {
        super(detail, cause);
    }
}
