package shop.notification;

/**
 * The mails an order can cause; each goes out at most once per order, a refund's or a dispute's
 * once per refund or dispute (the claim names its Stripe id), a shipment correction's once per
 * correction (the claim names its number), a shipping address change's once per change and an email correction's once
 * per correction (the claim names its number).
 */
public enum MailKind {
    CUSTOMER_CONFIRMATION,
    OWNER_NOTIFICATION,
    CUSTOMER_PAYMENT_FAILED,
    /** The customer's shipping mail with the tracking link. */
    ORDER_SHIPPED,
    /** The customer's mail with the right tracking link after the back office corrected it, once per correction. */
    SHIPMENT_CORRECTED,
    /**
     * The customer's mail saying the back office changed the order's shipping address at their request (and to reply if
     * they did not ask for it), once per change.
     */
    SHIPPING_ADDRESS_CHANGED,
    /**
     * The order's mail again, to the customer email the back office corrected after the first bounced, once per
     * correction.
     */
    EMAIL_CHANGED,
    /** The customer's refund mail, once per Stripe refund id. */
    ORDER_REFUNDED,
    /** The owner's mail about a dispute and its evidence deadline, once per dispute. */
    OWNER_DISPUTE,
    /** The owner's mail that Stripe failed or canceled a refund (the customer has not got the money back), once per refund id. */
    OWNER_REFUND_FAILED,
    /** The owner's mail about a paid session that needs them (NEEDS_ATTENTION), once per order and reason. */
    OWNER_ATTENTION
}
