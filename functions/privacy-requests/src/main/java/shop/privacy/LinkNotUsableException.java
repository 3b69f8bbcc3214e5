package shop.privacy;

import shop.core.errors.NotFoundException;

/** A verification or download link that cannot be used: unknown, expired, or used already. Nothing changed. */
public final class LinkNotUsableException extends NotFoundException {
    public enum Reason { INVALID, USED }

    private final Reason reason;

    public LinkNotUsableException(Reason reason) {
        super(reason == Reason.USED
                ? "This link was used already; each link works once."
                : "This link is not valid: it may have expired (links work for 1 hour) or been mistyped.");
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
