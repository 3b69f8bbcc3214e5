package shop.commerce.orders;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import shop.core.security.AddressHasher;

/**
 * The orders table's secondary indexes (template.yaml's OrdersTable) and the attributes every
 * order item carries for them. Only order items carry {@code listedAt} and {@code createdMonth},
 * so the status and month indexes are sparse: mail records and processed events (which have a
 * {@code status} too) never appear in them. The status index is keyed on {@code status} itself,
 * so every status change moves the order to its new list without a second attribute to keep right.
 */
public final class OrderIndexes {
    /** Partition {@code status}, sort {@code listedAt}: "paid, not shipped" is one Query, newest first. */
    public static final String BY_STATUS = "byStatus";
    /** Partition {@code createdMonth} (yyyy-MM, UTC), sort {@code listedAt}: a date range, month by month. */
    public static final String BY_MONTH = "byMonth";
    /** Partition {@code emailHash} (the keyed hash of the customer's address), sort {@code listedAt}; keys only. */
    public static final String BY_EMAIL_HASH = "byEmailHash";
    /**
     * Partition {@code orderNumber} (the number the mails show, as {@link OrderNumber#of} writes it),
     * sort {@code listedAt}: the back office finds the order a customer quotes. Numbers are short,
     * so two orders may share one now and then; the Query lists both, newest first.
     */
    public static final String BY_ORDER_NUMBER = "byOrderNumber";
    /** The order mail records of one order: partition {@code orderId} (mail records only carry it). */
    public static final String MAILS_BY_ORDER = "mailsByOrder";
    /**
     * The orders whose dispute is open: partition {@code disputeOpen} (always {@link #OPEN}; only an
     * order with an open dispute carries it), sort {@code disputeDueBy}: soonest evidence deadline
     * first. {@link DynamoOrderAccounts#recordDispute} sets both in the write that records the dispute
     * open and removes both in the write that records it closed.
     */
    public static final String BY_OPEN_DISPUTE = "byOpenDispute";

    public static final String LISTED_AT = "listedAt";
    public static final String CREATED_MONTH = "createdMonth";
    public static final String EMAIL_HASH = "emailHash";
    public static final String ORDER_NUMBER = "orderNumber";
    public static final String MAIL_ORDER_ID = "orderId";
    public static final String DISPUTE_OPEN = "disputeOpen";
    public static final String DISPUTE_DUE_BY = "disputeDueBy";
    /** The one value of {@code disputeOpen}. */
    public static final String OPEN = "OPEN";
    /** {@code disputeDueBy}'s time part for a dispute with no evidence deadline: after every date, so last. */
    public static final String NO_DEADLINE = "NONE";

    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("uuuu-MM", Locale.ROOT).withZone(ZoneOffset.UTC);
    /**
     * Fixed width (nanoseconds always written), so that text order is time order: with
     * {@code Instant.toString()} "10:00:00.5Z" would sort before "10:00:00Z".
     */
    private static final DateTimeFormatter LISTED = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    private OrderIndexes() {
    }

    /** Sorts by creation time, ties broken by the id, so a page boundary never skips or repeats an order. */
    public static String listedAt(Instant createdAt, String orderId) {
        return listedAt(createdAt) + "#" + orderId;
    }

    /** The sort key's time part alone: a bound for a range of creation times ("#" sorts before every id). */
    public static String listedAt(Instant createdAt) {
        return LISTED.format(createdAt);
    }

    /**
     * Sorts by the evidence deadline, ties broken by the id; an open dispute without a deadline
     * (the bank takes no evidence) after every dated one, as {@code NONE#<id>}.
     */
    public static String disputeDueBy(Instant evidenceDueBy, String orderId) {
        return (evidenceDueBy == null ? NO_DEADLINE : listedAt(evidenceDueBy)) + "#" + orderId;
    }

    public static String createdMonth(Instant createdAt) {
        return MONTH.format(createdAt);
    }

    /**
     * The same keyed hash the other functions key a person by ({@link AddressHasher#hash(shop.core.email.EmailAddress)}:
     * HMAC of {@code "email:"} and the trimmed, lower-cased address), computed here without
     * {@code EmailAddress}'s stricter check, so an address Stripe accepted and we would not mail is
     * still found by its owner's access or erasure request.
     */
    public static String emailHash(AddressHasher hasher, String customerEmail) {
        return hasher.hash("email", customerEmail.strip().toLowerCase(Locale.ROOT));
    }
}
