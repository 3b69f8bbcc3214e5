package shop.commerce.orders;

import java.time.Instant;
import java.util.Set;

/**
 * A customer's dispute (chargeback) of an order's payment, as Stripe holds it. An order records one:
 * should its payment be disputed again (a chargeback after an inquiry closed), the one opened last.
 *
 * @param status        Stripe's status ({@code needs_response}, {@code under_review}, {@code won}, {@code lost}, ...)
 * @param evidenceDueBy when Stripe stops taking evidence ({@code evidence_details.due_by}); null once none is due
 * @param outcome       {@code won} or {@code lost} once closed, else null: {@code won} when the shop kept the money
 *                      ({@code won}, {@code prevented}, and an inquiry closed without a chargeback, {@code warning_closed})
 * @param openedAt      when the dispute was opened (Stripe's {@code created})
 * @param closedAt      when we first saw it closed
 */
public record Dispute(String id, String reason, String status, long amount, String currency, Instant evidenceDueBy,
                      String outcome, Instant openedAt, Instant closedAt) {
    /** Stripe's statuses of a dispute that is over. */
    private static final Set<String> CLOSED = Set.of("won", "lost", "warning_closed", "prevented");

    public Dispute {
        if (id == null || !(id.startsWith("du_") || id.startsWith("dp_")) || status == null || currency == null) {
            throw new IllegalArgumentException("A dispute has Stripe's id (du_...), a status and a currency");
        }
    }

    /** The dispute as Stripe answers it now; closed at {@code seenAt} if its status says it is over. */
    public static Dispute of(String id, String reason, String status, long amount, String currency,
                             Instant evidenceDueBy, Instant openedAt, Instant seenAt) {
        boolean closed = CLOSED.contains(status);
        return new Dispute(id, reason, status, amount, currency, evidenceDueBy,
                closed ? ("lost".equals(status) ? "lost" : "won") : null,
                openedAt, closed ? seenAt : null);
    }

    public boolean closed() {
        return outcome != null;
    }

    /**
     * Whether {@code dispute} was opened after {@code other}, another dispute of the same payment (Stripe's
     * {@code created}; one that does not say is taken as the later, as it came later).
     */
    public static boolean openedAfter(Dispute dispute, Dispute other) {
        return dispute.openedAt() == null || other.openedAt() == null || dispute.openedAt().isAfter(other.openedAt());
    }
}
