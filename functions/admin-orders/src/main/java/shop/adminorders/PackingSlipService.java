package shop.adminorders;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import shop.commerce.orders.OrderStatus;
import shop.core.logging.Log;

/**
 * The packing slips: one order's, and the day's batch of every order to ship, oldest first. What the packer and the
 * carrier need, nothing more.
 */
public final class PackingSlipService {
    /** How many slips a page of the batch holds unless {@code limit} says otherwise (at most {@link PageSize#MAX}). */
    static final int DEFAULT_LIMIT = 50;
    /** The batch's page tokens: a position in "to ship", oldest first; no other list's token is taken. */
    static final String LIST = "SLIPS#PAID";

    private final OrderRecordService records;
    private final OrderBook book;

    public PackingSlipService(OrderRecordService records, OrderBook book) {
        this.records = records;
        this.book = book;
    }

    /** What the packer and the carrier need: order number, name, shipping address, items. No email, billing or amounts. */
    public Map<String, Object> packingSlip(String orderId) {
        return slip(records.existing(orderId));
    }

    /**
     * The slips of the orders to ship, a page at a time, oldest first (the order they are packed in): one Query of the
     * "to ship" index and one consistent BatchGetItem of the page's orders, never a read per order. An order shipped or
     * refunded since the index was written (index reads lag a moment) is left out, so no slip is printed for a parcel
     * that has left. Answer: {@code {slips: [{orderNumber, name, shippingAddress, items}], nextPage}}.
     */
    public Map<String, Object> toShip(Optional<String> limit, Optional<String> page) {
        int size = PageSize.of(limit, DEFAULT_LIMIT);
        OrderBook.Page found = book.byStatus(OrderStatus.PAID, true, size, PageToken.after(LIST, page));
        List<Map<String, Object>> slips = new ArrayList<>();
        if (!found.orders().isEmpty()) {
            for (Map<String, Object> order : book.toPack(found.orders().stream().map(OrderSummary::id).toList())) {
                if (OrderStatus.PAID.name().equals(order.get("status")) && order.get("fulfilledAt") == null) {
                    slips.add(slip(order));
                }
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("slips", slips);
        body.put("nextPage", found.next().map(key -> PageToken.encode(LIST, key)).orElse(null));
        Log.info("packing_slips_read", Map.of("slips", slips.size(), "more", found.next().isPresent()));
        return body;
    }

    private static Map<String, Object> slip(Map<String, Object> order) {
        Map<String, Object> slip = new LinkedHashMap<>();
        slip.put("orderNumber", order.get("orderNumber"));
        Object shipping = order.get("shipping");
        Map<String, Object> address = null;
        if (shipping instanceof Map<?, ?> map) {
            address = new LinkedHashMap<>();
            for (String part : OrderBook.SHIPPING_PARTS) {
                if (map.get(part) != null) {
                    address.put(part, map.get(part));
                }
            }
        }
        Object name = address != null && address.get("name") != null ? address.get("name") : order.get("customerName");
        slip.put("name", name);
        slip.put("shippingAddress", address);
        List<Map<String, Object>> items = new ArrayList<>();
        if (order.get("items") instanceof List<?> lines) {
            for (Object line : lines) {
                if (line instanceof Map<?, ?> map) {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("sku", map.get("sku"));
                    item.put("name", map.get("name"));
                    item.put("quantity", map.get("quantity"));
                    items.add(item);
                }
            }
        }
        slip.put("items", items);
        return slip;
    }
}
