package shop.adminrefunds;

import java.util.Set;
import shop.core.errors.InvalidInputException;

/**
 * What the owner asks for: {@code amount} in minor units (null: all that is left), Stripe's
 * {@code reason}, a free-text {@code note} kept in our record only, and which of the order's
 * pieces go back on sale with it ({@code restock}: null for none).
 */
public record RefundRequest(Long amount, String reason, String note, RestockRequest restock) {
    /** Stripe's refund reasons (RefundCreateParams.Reason). */
    public static final Set<String> REASONS = Set.of("duplicate", "fraudulent", "requested_by_customer");
    static final int MAX_NOTE = 500;

    public RefundRequest {
        if (amount != null && amount <= 0) {
            throw new InvalidInputException("amount", "\"amount\" is a positive number of minor units (cents), or left out"
                    + " for all that is left.");
        }
        if (reason == null || !REASONS.contains(reason)) {
            throw new InvalidInputException("reason", "\"reason\" is one of duplicate, fraudulent, requested_by_customer.");
        }
        if (note != null) {
            note = note.strip();
            if (note.length() > MAX_NOTE || note.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
                throw new InvalidInputException("note", "\"note\" is at most " + MAX_NOTE + " characters of text.");
            }
            if (note.isEmpty()) {
                note = null;
            }
        }
    }

    /** {@code restock}: every piece not back on sale yet, or none. */
    public RefundRequest(Long amount, String reason, String note, boolean restock) {
        this(amount, reason, note, restock ? RestockRequest.EVERYTHING : null);
    }
}
