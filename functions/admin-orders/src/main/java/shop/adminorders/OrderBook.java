package shop.adminorders;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.Shipment;
import shop.core.admin.AdminAction;
import shop.core.email.EmailAddress;

/**
 * The orders table as the back office reads and changes it: lists answered by its secondary
 * indexes (a Query each, never a Scan), one order's whole record as plain values, and the
 * changes made here, each written with its audit line: a shipment and its correction, a change of the shipping address
 * at the customer's request (staff and owners) and an owner's acceptance of an order that needs attention. Page positions are plain string maps; the service turns
 * them into opaque tokens, and this port refuses a position that is not one of its own.
 */
public interface OrderBook {

    /**
     * Orders in {@code status}, newest first or, with {@code oldestFirst}, oldest first (the order a packer works in);
     * {@code after} is where the previous page of the same direction stopped.
     */
    Page byStatus(OrderStatus status, boolean oldestFirst, int limit, Optional<Map<String, String>> after);

    /**
     * What the packing slips of these orders need, read at once (never a read per order), in the order of
     * {@code orderIds}: each live order's {@code pk}, {@code orderNumber}, {@code status}, {@code fulfilledAt},
     * {@code customerName}, {@code shipping} and {@code items}, as plain values, read consistently (an order shipped
     * since its index entry was read says so); an unknown or expired id is left out. At most 100 ids.
     */
    List<Map<String, Object>> toPack(List<String> orderIds);

    /**
     * All orders, newest first, month by month from {@code newest} back to {@code oldest} (the oldest
     * month an order can still be kept). A page may hold fewer than {@code limit} orders and still
     * have a next position when many months in a row had no orders.
     */
    Page newest(int limit, Optional<Map<String, String>> after, YearMonth newest, YearMonth oldest);

    /**
     * The orders with this number ({@code 7KQ4-M2XD}, as the mails show it), newest first: one,
     * now and then two (numbers are short), none for a number never handed out.
     */
    Page byNumber(String number, int limit, Optional<Map<String, String>> after);

    /**
     * The live orders that carry this address now, newest first, found by its keyed hash (never
     * the address itself); an order erased or moved to another address since is left out.
     */
    Page byEmail(EmailAddress address, int limit, Optional<Map<String, String>> after);

    /**
     * The orders whose dispute is open, soonest evidence deadline first (one the bank takes no
     * evidence for last), each line with its dispute; a dispute leaves the list once Stripe closes it.
     */
    Page openDisputes(int limit, Optional<Map<String, String>> after);

    /** The live order's attributes as plain values (strings, longs, booleans, lists, maps); empty when unknown or expired. */
    Optional<Map<String, Object>> find(String orderId);

    /** The order's mail records (kind, status, when sent), without content. */
    List<Map<String, Object>> mails(String orderId);

    /**
     * PAID → SHIPPED with {@code fulfilledAt} and the shipment, and {@code line} in the audit trail,
     * all at once; false, and nothing written, when the order is not PAID (already shipped,
     * refunded, unpaid, unknown).
     */
    boolean markShipped(String orderId, Shipment shipment, AdminAction line);

    /**
     * A shipped order's carrier, number and link replaced by {@code corrected}'s, with its count of
     * corrections, who ({@code by}) and when ({@code at}), and {@code line} in the audit trail, all at once,
     * on the condition that the order is SHIPPED with exactly the shipment {@code read} (its parcel and its
     * count of corrections); false, and nothing written, when it is not (corrected meanwhile, refunded,
     * unknown). {@code fulfilledAt} and when and by whom it was first recorded stay.
     */
    boolean correctShipment(String orderId, Shipment read, Shipment corrected, Instant at, String by, AdminAction line);

    /**
     * An order to ship given another name and address on its parcel, at the customer's request: its {@code shipping} map
     * replaced by {@code changed} (the name and the address's parts, {@link #SHIPPING_PARTS}), its {@code country} with it,
     * {@code shippingChanges} set to {@code change}, {@code shippingChangedAt} and {@code shippingChangedBy}, and
     * {@code line} in the audit trail, all at once, on the condition that the order is PAID, not shipped, not erased,
     * with exactly the shipping address {@code read} (its parts as stored; empty: none) and {@code change - 1} changes
     * before; false, and nothing written, when it is not (changed meanwhile by the customer or someone else, shipped,
     * refunded, erased, unknown).
     */
    boolean changeShippingAddress(String orderId, Optional<Map<String, String>> read, Map<String, String> changed,
                                  int change, Instant at, String by, AdminAction line);

    /**
     * An order's customer email corrected (its mail bounced; the customer gave the right address another way): its
     * {@code customerEmail} set to {@code to} and its keyed hash ({@code emailHash}, the {@code byEmailHash} index's key)
     * with it, {@code emailChanges} set to {@code change}, {@code emailChangedAt} and {@code emailChangedBy}, and
     * {@code line} in the audit trail, all at once, on the condition that the order is paid (PAID, SHIPPED or
     * REFUNDED), not erased, with exactly the address {@code read} (as stored; empty: none) and {@code change - 1}
     * corrections before; false, and nothing written, when it is not.
     */
    boolean changeCustomerEmail(String orderId, Optional<String> read, EmailAddress to, int change, Instant at, String by,
                                AdminAction line);

    /** The parts of an order's {@code shipping} map, as the checkout and the corrections write them. */
    List<String> SHIPPING_PARTS = List.of("name", "line1", "line2", "postalCode", "city", "state", "country");

    /**
     * NEEDS_ATTENTION → PAID ({@code paidAt} kept if the payment recorded one, {@code acceptedAt}
     * {@code at}), each of {@code pieces} (SKU → quantity; empty for an order whose payment sold
     * its reservation) taken from stock if that many are there and the product is on sale, or also
     * when archived if {@code takeArchived} (and noted on the order,
     * {@link shop.commerce.orders.OrderStep#STOCK_TAKEN}), the order counted among the orders of
     * {@code createdOn} unless it was counted already, and {@code line} in the audit trail: all
     * or nothing.
     */
    Acceptance accept(String orderId, Map<String, Integer> pieces, boolean takeArchived, LocalDate createdOn, Instant at,
                      AdminAction line);

    /** Notes that the accepted order's OrderPaid message is queued, so a repeat of the acceptance queues no more. */
    void markPaidMessageQueued(String orderId);

    /**
     * What {@link #accept} did: accepted; refused because the order no longer needs attention; a piece is
     * gone ({@code sku}: not that many in stock, or no longer in the catalog); or a piece is there but
     * archived ({@code sku}), which only {@code takeArchived} takes.
     */
    record Acceptance(Result result, String sku) {
        public enum Result { ACCEPTED, NOT_NEEDING_ATTENTION, PIECE_GONE, PIECE_ARCHIVED }

        static Acceptance accepted() {
            return new Acceptance(Result.ACCEPTED, null);
        }

        static Acceptance notNeedingAttention() {
            return new Acceptance(Result.NOT_NEEDING_ATTENTION, null);
        }

        static Acceptance pieceGone(String sku) {
            return new Acceptance(Result.PIECE_GONE, sku);
        }

        static Acceptance pieceArchived(String sku) {
            return new Acceptance(Result.PIECE_ARCHIVED, sku);
        }
    }

    /**
     * Once the order has shipped, removes the name and shipping address (but the country) that an
     * erasure kept for shipping it ({@code shippingKeptUntilDone}); false, and nothing written, when
     * no erasure waits for it or it is still to ship.
     */
    boolean finishDeferredErasure(String orderId);

    /** Every order created in [{@code from}, {@code to}), oldest first, each as the accounting export's plain values. */
    void createdBetween(Instant from, Instant to, Consumer<Map<String, Object>> order);

    /** One page of order summaries and where the next page starts, if there is one. */
    record Page(List<OrderSummary> orders, Optional<Map<String, String>> next) {
        public Page {
            orders = List.copyOf(orders);
        }
    }
}
