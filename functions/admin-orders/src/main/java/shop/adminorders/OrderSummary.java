package shop.adminorders;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of an order list: enough to pick the order, nothing more (no email, no address).
 *
 * @param total   in minor units of {@code currency}
 * @param dispute the open dispute, on the list of open disputes only (left out of the other lists' lines)
 */
public record OrderSummary(String id, String number, String status, String createdAt, String customerName,
                           long total, long refunded, String currency, String country, String fulfilledAt,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Dispute dispute) {

    /** A line of a list by status, date, number or email. */
    public OrderSummary(String id, String number, String status, String createdAt, String customerName,
                        long total, long refunded, String currency, String country, String fulfilledAt) {
        this(id, number, status, createdAt, customerName, total, refunded, currency, country, fulfilledAt, null);
    }

    /**
     * What the list of open disputes shows of one: Stripe's status and reason, the amount disputed,
     * and until when Stripe takes evidence ({@code evidenceDueBy}, ISO-8601; null when the bank takes none).
     *
     * @param amount in minor units of {@code currency}
     */
    public record Dispute(String status, String reason, long amount, String currency, String evidenceDueBy) {
    }
}
