package shop.adminorders;

/**
 * One line of an order list: enough to pick the order, nothing more (no email, no address).
 *
 * @param total in minor units of {@code currency}
 */
public record OrderSummary(String id, String number, String status, String createdAt, String customerName,
                           long total, long refunded, String currency, String country, String fulfilledAt) {
}
