package shop.privacy;

import java.time.Instant;

/** A verified request could not be carried out; the shop's owner was told and the deadline still holds. */
public final class RequestFailedException extends RuntimeException {
    private final Instant dueAt;

    public RequestFailedException(Instant dueAt, Throwable cause) {
        super("The request could not be completed automatically", cause);
        this.dueAt = dueAt;
    }

    public Instant dueAt() {
        return dueAt;
    }
}
