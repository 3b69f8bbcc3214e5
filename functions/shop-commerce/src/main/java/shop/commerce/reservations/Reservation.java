package shop.commerce.reservations;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Stock held for one checkout. A reservation and its stock are written together, in one
 * transaction: an {@code OPEN} reservation holds every one of its lines, any other holds none.
 * {@code heldOnProduct}: its hold counted its pieces in the products' {@code held} (every hold
 * since that count was kept; one from before did not, and its end leaves {@code held} alone).
 */
public record Reservation(String id, List<ReservedLine> lines, Status status, Optional<String> sessionId,
                          Instant createdAt, Priced priced, boolean heldOnProduct) {
    /**
     * What checkout asked Stripe for: the lines at catalog prices ({@code subtotal}) and the
     * shipping option, in minor units of {@code currency} (lower case, as Stripe writes it).
     */
    public record Priced(long subtotal, long shipping, String currency) {}

    /** Not priced yet (before its session is noted), or noted before prices were kept; held as holds are now. */
    public Reservation(String id, List<ReservedLine> lines, Status status, Optional<String> sessionId, Instant createdAt) {
        this(id, lines, status, sessionId, createdAt, null);
    }

    /** Held as holds are now (counted in the products' {@code held}). */
    public Reservation(String id, List<ReservedLine> lines, Status status, Optional<String> sessionId, Instant createdAt,
                       Priced priced) {
        this(id, lines, status, sessionId, createdAt, priced, true);
    }

    public enum Status {
        /** Stock is held while the customer pays. */
        OPEN,
        /** The stock went back (checkout failed, session expired, payment failed). */
        RELEASED,
        /** Paid: the pieces are the customer's and never go back automatically. */
        SOLD
    }

    public Reservation {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("A reservation needs an id");
        }
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("A reservation holds at least one line");
        }
    }
}
