package shop.privacy;

/**
 * Where a request stands: RECEIVED until its link is used, VERIFIED while it runs, then
 * COMPLETED or FAILED; a link never used leaves it EXPIRED. FAILED stays open (the owner's
 * digest lists it) because the deadline still runs; one still FAILED, or stopped part-way, at
 * its due date is LAPSED: closed unanswered, its address forgotten ({@link RequestRetention}).
 */
public enum RequestStatus {
    RECEIVED, VERIFIED, COMPLETED, FAILED, EXPIRED, LAPSED;

    public boolean open() {
        return this == RECEIVED || this == VERIFIED || this == FAILED;
    }
}
