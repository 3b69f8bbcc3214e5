package shop.notification;

/** The mails an order can cause; each goes out at most once per order. */
public enum MailKind {
    CUSTOMER_CONFIRMATION,
    OWNER_NOTIFICATION,
    CUSTOMER_PAYMENT_FAILED,
    /** The customer's shipping mail with the tracking link. */
    ORDER_SHIPPED
}
