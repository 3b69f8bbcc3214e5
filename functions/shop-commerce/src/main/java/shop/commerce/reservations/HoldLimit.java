package shop.commerce.reservations;

/**
 * How much one client may hold at once: {@code key} names the client by a keyed hash (of its
 * source IP, of its email address), never in the clear; at most {@code checkouts} open
 * reservations and {@code pieces} pieces in them. A hold is added to the client's list of open
 * checkouts in the same transaction that takes the stock; a reservation that ended (released,
 * expired or sold) is no longer OPEN and drops out of the list at the client's next hold.
 * <p>
 * {@code oldestMakeWay}: past this limit the caller may end the client's oldest open checkouts
 * to make way for the new one (a customer who starts checkout again gets a fresh one) rather than
 * refuse it; the store refuses either way, naming the limit and its open checkouts
 * ({@link TooManyHoldsException}), and never ends a checkout itself.
 */
public record HoldLimit(String key, int checkouts, int pieces, boolean oldestMakeWay) {
    public HoldLimit {
        if (key == null || !key.matches("[a-z]+:[0-9a-f]{16,64}")) {
            throw new IllegalArgumentException("A hold limit is keyed by a kind and a hash");
        }
        if (checkouts < 1 || pieces < 1) {
            throw new IllegalArgumentException("A hold limit allows at least one checkout of one piece");
        }
    }

    /** A limit past which a hold is refused: nothing makes way. */
    public HoldLimit(String key, int checkouts, int pieces) {
        this(key, checkouts, pieces, false);
    }
}
