package shop.core.errors;

/** Signed in, but not allowed to do this (a staff member asking for an owner's action). */
public class ForbiddenException extends RuntimeException {
    public ForbiddenException(String detail) {
        super(detail);
    }
}
