package shop.commerce.stats;

import java.time.LocalDate;

/**
 * Orders per day: the aggregate the privacy policy lets the shop share with partners. Counting
 * the same order again (a retried webhook) must not change the number.
 */
public interface OrderCounter {
    /** Counts {@code orderId} on {@code day} (UTC); true when this call counted it, false when it already was. */
    boolean count(LocalDate day, String orderId);

    /** The day's count, 0 for a day without orders. */
    long orders(LocalDate day);
}
