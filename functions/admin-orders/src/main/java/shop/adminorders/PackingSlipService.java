package shop.adminorders;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The packing slip of an order: what the packer and the carrier need, nothing more. */
public final class PackingSlipService {
    private final OrderRecordService records;

    public PackingSlipService(OrderRecordService records) {
        this.records = records;
    }

    /** What the packer and the carrier need: order number, name, shipping address, items. No email, billing or amounts. */
    public Map<String, Object> packingSlip(String orderId) {
        Map<String, Object> order = records.existing(orderId);
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
