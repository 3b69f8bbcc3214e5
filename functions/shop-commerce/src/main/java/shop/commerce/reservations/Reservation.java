package shop.commerce.reservations;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stock held for one checkout. {@code held} says which lines really took stock (a reservation
 * that failed part-way holds only some), so a release gives back exactly what was taken.
 */
public record Reservation(String id, List<ReservedLine> lines, Map<String, Integer> held, Status status,
                          Optional<String> sessionId, Instant createdAt) {
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
        held = Map.copyOf(held);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("A reservation holds at least one line");
        }
    }
}
