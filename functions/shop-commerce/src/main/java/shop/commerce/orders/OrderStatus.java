package shop.commerce.orders;

/**
 * Where an order stands. Transitions only move forward (PENDING_PAYMENT → PAID or FAILED,
 * NEEDS_ATTENTION → PAID when an owner accepts it, PAID → SHIPPED, PAID or SHIPPED → REFUNDED),
 * so an event that arrives late or twice cannot move an order back.
 */
public enum OrderStatus {
    /** Checkout completed with a delayed payment method; the money has not arrived yet. */
    PENDING_PAYMENT,
    PAID,
    /** Handed to the carrier: {@code fulfilledAt} and the shipment (carrier, tracking) are recorded. */
    SHIPPED,
    /** The delayed payment failed; the stock went back. */
    FAILED,
    /** The whole charge was refunded. */
    REFUNDED,
    /**
     * Paid, but not as this shop's checkout made it (no reservation of ours, one naming another
     * session, another amount or currency), paid with a deactivated address, or paid after its
     * reservation stopped holding the stock: the owner is mailed and decides in the back office
     * (accept it, which takes its stock if none was taken, or refund it). A session not bound to
     * its own reservation takes no stock.
     */
    NEEDS_ATTENTION
}
