package shop.core.aws;

/** An AWS API answered with an error, or could not be reached, after the retries {@link AwsJsonClient} makes. */
public class AwsApiException extends RuntimeException {
    private final int statusCode;
    private final String errorCode;

    public AwsApiException(String operation, int statusCode, String errorCode, String message, Throwable cause) {
        super(operation + " failed: " + (statusCode > 0 ? statusCode + " " : "") + errorCode
                + (message == null || message.isBlank() ? "" : ": " + message), cause);
        this.statusCode = statusCode;
        this.errorCode = errorCode;
    }

    /** The HTTP status, or 0 when no answer came. */
    public int statusCode() {
        return statusCode;
    }

    /** The service's error code, such as {@code MessageRejected} or {@code ThrottlingException}. */
    public String errorCode() {
        return errorCode;
    }
}
