package shop.adminorders.waiting;

import java.time.Instant;
import java.util.List;
import shop.commerce.orders.OrderStatus;

/**
 * What waits in the shop, read from the orders table's indexes (a Query each, never a Scan), a
 * bounded number of orders per list: the morning mail names the first few and counts the rest.
 * Only what the mail shows is read: the order's id, number and creation time, and an open
 * dispute's reason, amount and deadline; never a name, an address or an email.
 */
public interface WaitingOrders {

    /** The orders in {@code status}, oldest first, at most {@code atMost} of them. */
    Listing oldest(OrderStatus status, int atMost);

    /** The orders whose dispute is open, soonest evidence deadline first (none last), at most {@code atMost}. */
    Listing openDisputes(int atMost);

    /**
     * @param dispute the open dispute, on the list of open disputes only (else null)
     */
    record Order(String id, String number, Instant createdAt, Dispute dispute) {
    }

    /**
     * @param amount        in Stripe's units of {@code currency}
     * @param evidenceDueBy until when Stripe takes evidence; null when the bank takes none
     */
    record Dispute(String reason, long amount, String currency, Instant evidenceDueBy) {
    }

    /** The orders read, in the index's order, and whether the index holds more than were read. */
    record Listing(List<Order> orders, boolean more) {
        public Listing {
            orders = List.copyOf(orders);
        }

        public static Listing empty() {
            return new Listing(List.of(), false);
        }
    }
}
