package shop.privacy.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import shop.core.email.EmailAddress;
import shop.privacy.Correction;
import shop.privacy.OrderData;
import shop.privacy.OrderRecords;

/** Orders in memory, with the adapter's rules: any spelling matches; only unshipped orders are corrected. */
public final class InMemoryOrderRecords implements OrderRecords {
    public final Map<String, Map<String, Object>> orders = new LinkedHashMap<>();

    /** An order shaped like the orders table's; returns it for the test to adjust. */
    public Map<String, Object> add(String id, String email, String name, String status) {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("pk", "ORDER#" + id);
        order.put("customerEmail", email);
        order.put("customerName", name);
        order.put("status", status);
        order.put("shipping", new LinkedHashMap<>(Map.of("name", name, "line1", "12 Harbor Road", "city", "Portland",
                "postalCode", "04101", "country", "US")));
        order.put("items", List.of(Map.of("sku", "RING-001", "quantity", 1, "amountTotal", 12_000)));
        order.put("amountTotal", 12_000L);
        order.put("currency", "usd");
        order.put("createdAt", "2026-03-01T10:00:00Z");
        orders.put(id, order);
        return order;
    }

    @Override
    public OrderData find(EmailAddress address) {
        List<Map<String, Object>> found = new ArrayList<>();
        Set<String> spellings = new LinkedHashSet<>();
        Set<String> customers = new LinkedHashSet<>();
        for (Map<String, Object> order : mine(address)) {
            found.add(Map.copyOf(order));
            spellings.add((String) order.get("customerEmail"));
            if (order.get("stripeCustomerId") != null) {
                customers.add((String) order.get("stripeCustomerId"));
            }
        }
        return new OrderData(found, List.of(), List.of(), spellings, customers);
    }

    @Override
    public Erased anonymise(EmailAddress address, Instant at) {
        List<String> ids = new ArrayList<>();
        List<String> keptToShip = new ArrayList<>();
        for (Map<String, Object> order : mine(address)) {
            boolean toShip = "PAID".equals(order.get("status")) && !order.containsKey("fulfilledAt");
            order.remove("customerEmail");
            order.remove("customerPhone");
            @SuppressWarnings("unchecked")
            Map<String, Object> shipping = (Map<String, Object>) order.get("shipping");
            if (toShip) {
                order.put("shippingKeptUntilDone", at.toString());
                keptToShip.add(((String) order.get("pk")).substring(6));
            } else {
                order.remove("customerName");
                if (shipping != null) {
                    shipping.keySet().removeIf(k -> !k.equals("country"));
                }
            }
            order.put("erasedAt", at.toString());
            ids.add(((String) order.get("pk")).substring(6));
        }
        return new Erased(ids, keptToShip);
    }

    @Override
    public List<String> correct(EmailAddress address, Correction correction, Instant at) {
        List<String> ids = new ArrayList<>();
        for (Map<String, Object> order : mine(address)) {
            boolean unshipped = List.of("PENDING_PAYMENT", "PAID").contains(order.get("status"))
                    && !order.containsKey("fulfilledAt");
            if (!unshipped) {
                continue;
            }
            correction.name().ifPresent(name -> order.put("customerName", name));
            correction.shippingAddress().ifPresent(a -> order.put("shipping", new LinkedHashMap<>(a.fields())));
            ids.add(((String) order.get("pk")).substring(6));
        }
        return ids;
    }

    @Override
    public List<String> changeEmail(EmailAddress from, EmailAddress to, Instant at) {
        List<String> ids = new ArrayList<>();
        for (Map<String, Object> order : mine(from)) {
            order.put("customerEmail", to.value());
            ids.add(((String) order.get("pk")).substring(6));
        }
        return ids;
    }

    private List<Map<String, Object>> mine(EmailAddress address) {
        return orders.values().stream()
                .filter(o -> o.get("customerEmail") != null
                        && ((String) o.get("customerEmail")).strip().toLowerCase(Locale.ROOT).equals(address.value()))
                .toList();
    }
}
