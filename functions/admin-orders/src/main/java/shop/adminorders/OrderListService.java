package shop.adminorders;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import shop.commerce.orders.OrderNumber;
import shop.commerce.orders.OrderStatus;
import shop.core.email.EmailAddress;
import shop.core.errors.InvalidInputException;
import shop.core.logging.Log;
import shop.core.retention.RetentionSchedule;

/**
 * The back office's lists of orders: by status, of open disputes, and a search by order number or by the customer's
 * email, a page at a time.
 */
public final class OrderListService {
    static final int DEFAULT_LIMIT = 25;
    static final String ALL = "ALL";
    /** {@code GET /admin/orders?dispute=open}: the one value of {@code dispute}. */
    static final String OPEN_DISPUTES = "open";

    private final OrderBook book;
    private final Clock clock;

    public OrderListService(OrderBook book, Clock clock) {
        this.book = book;
        this.clock = clock;
    }

    /** {@code status}: an {@link OrderStatus} (PAID is "to ship", NEEDS_ATTENTION waits for an owner), or ALL (the default). */
    public Map<String, Object> list(Optional<String> status, Optional<String> limit, Optional<String> page) {
        String list = status.map(s -> s.strip().toUpperCase(Locale.ROOT)).filter(s -> !s.isEmpty()).orElse(ALL);
        int size = PageSize.of(limit, DEFAULT_LIMIT);
        Optional<Map<String, String>> after = PageToken.after(list, page);
        OrderBook.Page found;
        if (list.equals(ALL)) {
            YearMonth now = YearMonth.now(clock.withZone(ZoneOffset.UTC));
            // No order is kept longer than a paid one: the walk back stops there.
            YearMonth oldest = YearMonth.from(clock.instant().minus(RetentionSchedule.ORDER_PAID.keptFor().orElseThrow())
                    .atZone(ZoneOffset.UTC));
            found = book.newest(size, after, now, oldest);
        } else {
            found = book.byStatus(status(list), size, after);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", list);
        body.put("orders", found.orders());
        body.put("nextPage", found.next().map(key -> PageToken.encode(list, key)).orElse(null));
        return body;
    }

    /**
     * The orders with an open dispute ({@code dispute=open}), soonest evidence deadline first, each
     * line with its dispute (status, reason, amount, deadline). A disputed order keeps its status
     * (PAID, SHIPPED, ...), so this list stands beside the lists by status: without a status, a
     * number or an email.
     */
    public Map<String, Object> openDisputes(Optional<String> dispute, Optional<String> status, Optional<String> number,
                                            Optional<String> email, Optional<String> limit, Optional<String> page) {
        if (!dispute.map(d -> d.strip().toLowerCase(Locale.ROOT)).filter(OPEN_DISPUTES::equals).isPresent()) {
            throw new InvalidInputException("dispute", "\"dispute\" is \"open\": the orders whose dispute is open.");
        }
        for (var other : List.of(Map.entry("status", status), Map.entry("number", number), Map.entry("email", email))) {
            if (other.getValue().filter(v -> !v.isBlank()).isPresent()) {
                throw new InvalidInputException(other.getKey(), "The open disputes are a list of their own, whatever the"
                        + " orders' status; leave out \"" + other.getKey() + "\".");
            }
        }
        int size = PageSize.of(limit, DEFAULT_LIMIT);
        String list = "DISPUTE#" + OPEN_DISPUTES;
        OrderBook.Page found = book.openDisputes(size, PageToken.after(list, page));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dispute", OPEN_DISPUTES);
        body.put("orders", found.orders());
        body.put("nextPage", found.next().map(key -> PageToken.encode(list, key)).orElse(null));
        return body;
    }

    /**
     * The orders a customer's message names: by the order number the mails show ({@code number},
     * typed any way a person types it) or by the customer's email ({@code email}), newest first,
     * in the list's shape. One of the two, without a status. The address is neither logged nor
     * answered back: the answer says only that it was a search by email.
     */
    public Map<String, Object> search(Optional<String> status, Optional<String> number, Optional<String> email,
                                      Optional<String> limit, Optional<String> page) {
        if (number.isPresent() && email.isPresent()) {
            throw new InvalidInputException("number", "Search by \"number\" or by \"email\", not both.");
        }
        if (status.filter(s -> !s.isBlank()).isPresent()) {
            throw new InvalidInputException("status", "A search by number or email covers every status; leave out \"status\".");
        }
        int size = PageSize.of(limit, DEFAULT_LIMIT);
        Map<String, Object> body = new LinkedHashMap<>();
        String list;
        OrderBook.Page found;
        if (number.isPresent()) {
            String canonical = OrderNumber.normalise(number.get()).orElseThrow(() -> new InvalidInputException("number",
                    "\"number\" is an order number as the shop's mails show it: 8 letters and digits like 7KQ4-M2XD."));
            list = "NUMBER#" + canonical;
            found = book.byNumber(canonical, size, PageToken.after(list, page));
            body.put("search", "number");
            body.put("number", canonical);
        } else {
            EmailAddress address = EmailAddress.parse("email", email.orElse(null));
            list = "EMAIL";
            found = book.byEmail(address, size, PageToken.after(list, page));
            body.put("search", "email");
        }
        body.put("orders", found.orders());
        body.put("nextPage", found.next().map(key -> PageToken.encode(list, key)).orElse(null));
        Log.info("orders_searched", Map.of("by", body.get("search"), "found", found.orders().size()));
        return body;
    }

    private static OrderStatus status(String list) {
        try {
            return OrderStatus.valueOf(list);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("status", "\"status\" is one of "
                    + Arrays.stream(OrderStatus.values()).map(Enum::name).collect(Collectors.joining(", "))
                    + " or " + ALL + ".");
        }
    }

}
