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
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
    /** {@code sort}: the lists by status are newest first unless {@code sort=oldest}. */
    static final String NEWEST = "newest";
    static final String OLDEST = "oldest";

    private final OrderBook book;
    private final Clock clock;

    public OrderListService(OrderBook book, Clock clock) {
        this.book = book;
        this.clock = clock;
    }

    /**
     * {@code GET /admin/orders}, its query parameters by name: the open disputes with {@code dispute}, a search with
     * {@code number} or {@code email}, else a list by {@code status} in the order {@code sort} asks. Only a list by
     * status takes a {@code sort}.
     */
    public Map<String, Object> orders(Function<String, Optional<String>> query) {
        boolean listByStatus = Stream.of("dispute", "number", "email").map(query).allMatch(Optional::isEmpty);
        if (listByStatus) {
            return list(query.apply("status"), query.apply("sort"), query.apply("limit"), query.apply("page"));
        }
        noSort(query.apply("sort"));
        return query.apply("dispute").isPresent()
                ? openDisputes(query.apply("dispute"), query.apply("status"), query.apply("number"), query.apply("email"),
                        query.apply("limit"), query.apply("page"))
                : search(query.apply("status"), query.apply("number"), query.apply("email"), query.apply("limit"),
                        query.apply("page"));
    }

    /**
     * {@code status}: an {@link OrderStatus} (PAID is "to ship", NEEDS_ATTENTION waits for an owner), or ALL (the
     * default), in the order {@code sort} asks: {@code newest} (the default) or
     * {@code oldest}, the order a packer works "to ship" in, the order waiting longest first. Only a list by status
     * sorts both ways (ALL walks back month by month). A page token belongs to its list and its order: a token of the
     * newest-first list is refused by the oldest-first one (it would start from the other end's side).
     */
    public Map<String, Object> list(Optional<String> status, Optional<String> sort, Optional<String> limit,
                                    Optional<String> page) {
        String list = status.map(s -> s.strip().toUpperCase(Locale.ROOT)).filter(s -> !s.isEmpty()).orElse(ALL);
        boolean oldestFirst = oldestFirst(sort);
        if (oldestFirst && list.equals(ALL)) {
            throw new InvalidInputException("sort", "\"sort=oldest\" orders a list by status, such as status=PAID (to ship);"
                    + " the list of all orders is newest first.");
        }
        int size = PageSize.of(limit, DEFAULT_LIMIT);
        String tokenList = oldestFirst ? list + "#" + OLDEST : list;
        Optional<Map<String, String>> after = PageToken.after(tokenList, page);
        OrderBook.Page found;
        if (list.equals(ALL)) {
            YearMonth now = YearMonth.now(clock.withZone(ZoneOffset.UTC));
            // No order is kept longer than a paid one: the walk back stops there.
            YearMonth oldest = YearMonth.from(clock.instant().minus(RetentionSchedule.ORDER_PAID.keptFor().orElseThrow())
                    .atZone(ZoneOffset.UTC));
            found = book.newest(size, after, now, oldest);
        } else {
            found = book.byStatus(status(list), oldestFirst, size, after);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", list);
        body.put("sort", oldestFirst ? OLDEST : NEWEST);
        body.put("orders", found.orders());
        body.put("nextPage", found.next().map(key -> PageToken.encode(tokenList, key)).orElse(null));
        return body;
    }

    /** {@code sort}: absent, {@code newest} or {@code oldest} (any case); anything else is a 400. */
    private static boolean oldestFirst(Optional<String> sort) {
        String asked = sort.map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).orElse(NEWEST);
        if (!asked.equals(NEWEST) && !asked.equals(OLDEST)) {
            throw new InvalidInputException("sort", "\"sort\" is \"newest\" (the default) or \"oldest\" (the order waiting"
                    + " longest first).");
        }
        return asked.equals(OLDEST);
    }

    /** A search or the open disputes have an order of their own: a {@code sort} with them is refused, not ignored. */
    private static void noSort(Optional<String> sort) {
        if (sort.isPresent()) {
            throw new InvalidInputException("sort", "\"sort\" orders a list by status; a search is newest first and the"
                    + " open disputes soonest deadline first. Leave out \"sort\".");
        }
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
