package shop.adminorders;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import shop.commerce.orders.OrderEvents;
import shop.commerce.orders.OrderMessage;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.Shipment;
import shop.core.admin.AdminAction;
import shop.core.admin.AuditTrail;
import shop.core.email.EmailAddress;

/** In-memory ports for the service tests. */
final class Fakes {
    /** A trail line's before or after (JSON) as a map, to compare with what the line should say. */
    static Map<?, ?> map(String json) {
        try {
            return shop.core.json.Json.mapper().readValue(json, Map.class);
        } catch (java.io.IOException e) {
            throw new AssertionError(json, e);
        }
    }

    private Fakes() {
    }

    static Map<String, Object> order(String id, OrderStatus status, Instant createdAt) {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("pk", "ORDER#" + id);
        order.put("orderNumber", "N-" + id.substring(id.length() - 4));
        order.put("status", status.name());
        order.put("customerName", "Ada Lovelace");
        order.put("customerEmail", "ada@example.com");
        order.put("shipping", new LinkedHashMap<>(Map.of("name", "Ada Lovelace", "line1", "12 Harbor Road",
                "postalCode", "04101", "city", "Portland", "country", "US")));
        order.put("billing", new LinkedHashMap<>(Map.of("name", "A. Lovelace", "line1", "1 Bank Street", "country", "US")));
        order.put("country", "US");
        order.put("items", List.of(Map.of("sku", "RING-ARIA", "name", "Aria ring", "quantity", 2L, "unitAmount", 9250L,
                "amountTotal", 18500L)));
        order.put("currency", "usd");
        order.put("amountSubtotal", 18500L);
        order.put("amountShipping", 0L);
        order.put("amountDiscount", 0L);
        order.put("amountTax", 0L);
        order.put("amountTotal", 18500L);
        order.put("amountRefunded", 0L);
        order.put("createdAt", createdAt.toString());
        order.put("listedAt", createdAt + "#" + id);
        order.put("createdMonth", createdAt.toString().substring(0, 7));
        order.put("emailHash", "0123abcd");
        order.put("expiresAt", 2_000_000_000L);
        return order;
    }

    /** {@code order} with an open dispute due by {@code dueBy}, as the webhook records it. */
    static Map<String, Object> disputed(Map<String, Object> order, Instant dueBy) {
        String id = String.valueOf(order.get("pk")).substring(6);
        order.put("dispute", new LinkedHashMap<>(Map.of("id", "du_" + id.substring(id.length() - 4), "reason", "fraudulent",
                "status", "needs_response", "amount", 18500L, "currency", "usd", "evidenceDueBy", dueBy.toString(),
                "openedAt", "2026-11-20T10:00:00Z")));
        order.put("needsAttention", true);
        order.put("disputeOpen", "OPEN");
        order.put("disputeDueBy", shop.commerce.orders.OrderIndexes.disputeDueBy(dueBy, id));
        return order;
    }

    static final class Book implements OrderBook {
        final Map<String, Map<String, Object>> orders = new ConcurrentHashMap<>();
        /** How many of the next finishing steps of an erasure fail, as a stop between two writes would. */
        int finishFailures;
        final Map<String, List<Map<String, Object>>> mails = new ConcurrentHashMap<>();
        /** Where the book writes each change's line, with the change. */
        final Trail trail = new Trail();
        /** The catalog's stock by SKU, as an acceptance takes it. */
        final Map<String, Integer> stock = new ConcurrentHashMap<>();
        /** The SKUs archived in the catalog (no longer on sale). */
        final Set<String> archived = ConcurrentHashMap.newKeySet();
        /** Runs just before a correction's write: another person's change between the service's read and its write. */
        Runnable beforeCorrection = () -> { };
        /** Corrections written (each with its line). */
        int correctionsWritten;
        /** Runs just before an address change's write: the customer's or another person's change meanwhile. */
        Runnable beforeAddressChange = () -> { };
        /** Address changes written (each with its line). */
        int addressChangesWritten;
        /** Runs just before an email correction's write: the customer's or another person's change meanwhile. */
        Runnable beforeEmailChange = () -> { };
        /** Email corrections written (each with its line). */
        int emailChangesWritten;
        /** The orders counted on each day (once each, as the counter's note keeps them). */
        final Map<LocalDate, Set<String>> counted = new ConcurrentHashMap<>();

        void add(Map<String, Object> order) {
            orders.put(String.valueOf(order.get("pk")).substring(6), order);
        }

        /** Index reads lag: orders listed under a status they no longer have, until {@link #indexCaughtUp}. */
        final Map<String, String> staleIndex = new ConcurrentHashMap<>();
        /** The ids each {@link #toPack} asked for, one list per read. */
        final List<List<String>> packReads = new CopyOnWriteArrayList<>();

        @Override
        public Page byStatus(OrderStatus status, boolean oldestFirst, int limit, Optional<Map<String, String>> after) {
            return page(orders.values().stream().filter(o -> staleIndex.getOrDefault(String.valueOf(o.get("pk")).substring(6),
                    (String) o.get("status")).equals(status.name())).toList(), oldestFirst, limit, after);
        }

        @Override
        public List<Map<String, Object>> toPack(List<String> orderIds) {
            assertTrue(orderIds.size() <= 100, "one BatchGetItem takes 100 keys");
            packReads.add(List.copyOf(orderIds));
            return orderIds.stream().map(orders::get).filter(java.util.Objects::nonNull)
                    .map(o -> (Map<String, Object>) new LinkedHashMap<>(o)).toList();
        }

        /** Every order, newest first; the month bounds only matter to the index walk of the real book. */
        @Override
        public Page newest(int limit, Optional<Map<String, String>> after, YearMonth newest, YearMonth oldest) {
            return page(List.copyOf(orders.values()), limit, after);
        }

        @Override
        public Page byNumber(String number, int limit, Optional<Map<String, String>> after) {
            return page(orders.values().stream().filter(o -> number.equals(o.get("orderNumber"))).toList(), limit, after);
        }

        @Override
        public Page byEmail(EmailAddress address, int limit, Optional<Map<String, String>> after) {
            return page(orders.values().stream().filter(o -> o.get("customerEmail") instanceof String email
                    && email.strip().equalsIgnoreCase(address.value())).toList(), limit, after);
        }

        /** The orders that carry {@code disputeOpen}, by {@code disputeDueBy}, as the index orders them. */
        @Override
        public Page openDisputes(int limit, Optional<Map<String, String>> after) {
            List<Map<String, Object>> all = orders.values().stream().filter(o -> "OPEN".equals(o.get("disputeOpen")))
                    .sorted(Comparator.comparing((Map<String, Object> o) -> (String) o.get("disputeDueBy"))).toList();
            int from = after.map(key -> {
                for (int i = 0; i < all.size(); i++) {
                    if (all.get(i).get("disputeDueBy").equals(key.get("disputeDueBy"))) {
                        return i + 1;
                    }
                }
                throw PageToken.invalid();
            }).orElse(0);
            List<Map<String, Object>> page = all.subList(from, Math.min(all.size(), from + limit));
            Optional<Map<String, String>> next = from + limit < all.size()
                    ? Optional.of(Map.of("disputeDueBy", (String) page.get(page.size() - 1).get("disputeDueBy")))
                    : Optional.empty();
            return new Page(page.stream().map(o -> {
                OrderSummary line = summary(o);
                @SuppressWarnings("unchecked")
                Map<String, Object> dispute = (Map<String, Object>) o.get("dispute");
                return new OrderSummary(line.id(), line.number(), line.status(), line.createdAt(), line.customerName(),
                        line.total(), line.refunded(), line.currency(), line.country(), line.fulfilledAt(),
                        new OrderSummary.Dispute((String) dispute.get("status"), (String) dispute.get("reason"),
                                (Long) dispute.get("amount"), (String) dispute.get("currency"),
                                (String) dispute.get("evidenceDueBy")));
            }).toList(), next);
        }

        private static Page page(List<Map<String, Object>> matching, int limit, Optional<Map<String, String>> after) {
            return page(matching, false, limit, after);
        }

        private static Page page(List<Map<String, Object>> matching, boolean oldestFirst, int limit,
                                 Optional<Map<String, String>> after) {
            Comparator<Map<String, Object>> listed = Comparator.comparing((Map<String, Object> o) -> (String) o.get("listedAt"));
            List<Map<String, Object>> all = matching.stream().sorted(oldestFirst ? listed : listed.reversed()).toList();
            int from = after.map(key -> {
                for (int i = 0; i < all.size(); i++) {
                    if (all.get(i).get("listedAt").equals(key.get("listedAt"))) {
                        return i + 1;
                    }
                }
                throw PageToken.invalid();
            }).orElse(0);
            List<Map<String, Object>> page = all.subList(from, Math.min(all.size(), from + limit));
            Optional<Map<String, String>> next = from + limit < all.size()
                    ? Optional.of(Map.of("listedAt", (String) page.get(page.size() - 1).get("listedAt")))
                    : Optional.empty();
            return new Page(page.stream().map(Fakes::summary).toList(), next);
        }

        @Override
        public Optional<Map<String, Object>> find(String orderId) {
            return Optional.ofNullable(orders.get(orderId)).map(LinkedHashMap::new);
        }

        @Override
        public List<Map<String, Object>> mails(String orderId) {
            return mails.getOrDefault(orderId, List.of());
        }

        @Override
        public synchronized boolean markShipped(String orderId, Shipment shipment, AdminAction line) {
            Map<String, Object> order = orders.get(orderId);
            if (order == null || !order.get("status").equals("PAID")) {
                return false;
            }
            order.put("status", "SHIPPED");
            order.put("fulfilledAt", shipment.shippedAt().toString());
            order.put("shipment", Map.of("carrier", shipment.carrier(), "trackingNumber", shipment.trackingNumber(),
                    "trackingUrl", shipment.trackingUrl(), "shippedAt", shipment.shippedAt().toString(), "by", shipment.by()));
            trail.record(line);
            return true;
        }

        /** Conditional as the table's write is: SHIPPED with the parcel and the count of corrections read. */
        @Override
        public synchronized boolean correctShipment(String orderId, Shipment read, Shipment corrected, Instant at,
                                                    String by, AdminAction line) {
            Runnable meanwhile = beforeCorrection;
            beforeCorrection = () -> { };
            meanwhile.run();
            Map<String, Object> order = orders.get(orderId);
            if (order == null || !order.get("status").equals("SHIPPED")
                    || !(order.get("shipment") instanceof Map<?, ?> stored)) {
                return false;
            }
            long storedCount = stored.get("corrections") instanceof Number n ? n.longValue() : 0;
            if (!read.carrier().equals(stored.get("carrier")) || !read.trackingNumber().equals(stored.get("trackingNumber"))
                    || !read.trackingUrl().equals(stored.get("trackingUrl")) || storedCount != read.corrections()) {
                return false;
            }
            Map<String, Object> shipment = new LinkedHashMap<>();
            stored.forEach((key, value) -> shipment.put(String.valueOf(key), value));
            shipment.put("carrier", corrected.carrier());
            shipment.put("trackingNumber", corrected.trackingNumber());
            shipment.put("trackingUrl", corrected.trackingUrl());
            shipment.put("corrections", (long) corrected.corrections());
            shipment.put("correctedAt", at.toString());
            shipment.put("correctedBy", by);
            order.put("shipment", shipment);
            correctionsWritten++;
            trail.record(line);
            return true;
        }

        /** Conditional as the table's write is: PAID, not shipped or erased, with the address and the count read. */
        @Override
        public synchronized boolean changeShippingAddress(String orderId, Optional<Map<String, String>> read,
                                                          Map<String, String> changed, int change, Instant at, String by,
                                                          AdminAction line) {
            Runnable meanwhile = beforeAddressChange;
            beforeAddressChange = () -> { };
            meanwhile.run();
            Map<String, Object> order = orders.get(orderId);
            if (order == null || !order.get("status").equals("PAID") || order.containsKey("fulfilledAt")
                    || order.containsKey("erasedAt") || order.containsKey("shippingKeptUntilDone")) {
                return false;
            }
            long storedCount = order.get("shippingChanges") instanceof Number n ? n.longValue() : 0;
            Optional<Map<String, String>> stored = order.get("shipping") instanceof Map<?, ?> shipping
                    ? Optional.of(strings(shipping)) : Optional.empty();
            if (storedCount != change - 1 || !stored.equals(read)) {
                return false;
            }
            order.put("shipping", new LinkedHashMap<>(changed));
            order.put("country", changed.get("country"));
            order.put("shippingChanges", (long) change);
            order.put("shippingChangedAt", at.toString());
            order.put("shippingChangedBy", by);
            addressChangesWritten++;
            trail.record(line);
            return true;
        }

        /** Conditional as the table's write is: paid (PAID, SHIPPED, REFUNDED), not erased, with the address and count read. */
        @Override
        public synchronized boolean changeCustomerEmail(String orderId, Optional<String> read, EmailAddress to, int change,
                                                        Instant at, String by, AdminAction line) {
            Runnable meanwhile = beforeEmailChange;
            beforeEmailChange = () -> { };
            meanwhile.run();
            Map<String, Object> order = orders.get(orderId);
            if (order == null || !Set.of("PAID", "SHIPPED", "REFUNDED").contains(order.get("status"))
                    || order.containsKey("erasedAt") || order.containsKey("shippingKeptUntilDone")) {
                return false;
            }
            long storedCount = order.get("emailChanges") instanceof Number n ? n.longValue() : 0;
            Optional<String> stored = Optional.ofNullable((String) order.get("customerEmail"));
            if (storedCount != change - 1 || !stored.equals(read)) {
                return false;
            }
            order.put("customerEmail", to.value());
            order.put("emailHash", "hash-of-" + to.value());
            order.put("emailChanges", (long) change);
            order.put("emailChangedAt", at.toString());
            order.put("emailChangedBy", by);
            emailChangesWritten++;
            trail.record(line);
            return true;
        }

        private static Map<String, String> strings(Map<?, ?> map) {
            Map<String, String> strings = new LinkedHashMap<>();
            map.forEach((key, value) -> strings.put(String.valueOf(key), String.valueOf(value)));
            return strings;
        }

        @Override
        public synchronized Acceptance accept(String orderId, Map<String, Integer> pieces, boolean takeArchived,
                                              LocalDate createdOn, Instant at, AdminAction line) {
            Map<String, Object> order = orders.get(orderId);
            if (order == null || !order.get("status").equals("NEEDS_ATTENTION")
                    || !pieces.isEmpty() && order.get("reservationId") != null) {
                return Acceptance.notNeedingAttention();
            }
            for (var piece : pieces.entrySet()) {
                if (stock.getOrDefault(piece.getKey(), 0) < piece.getValue()) {
                    return Acceptance.pieceGone(piece.getKey());
                }
                if (!takeArchived && archived.contains(piece.getKey())) {
                    return Acceptance.pieceArchived(piece.getKey());
                }
            }
            pieces.forEach((sku, quantity) -> stock.merge(sku, -quantity, Integer::sum));
            order.put("status", "PAID");
            order.putIfAbsent("paidAt", at.toString());
            order.put("acceptedAt", at.toString());
            if (!pieces.isEmpty()) {
                done(order, "STOCK_TAKEN");
            }
            counted.computeIfAbsent(createdOn, day -> new LinkedHashSet<>()).add(orderId);
            trail.record(line);
            return Acceptance.accepted();
        }

        @Override
        public synchronized void markPaidMessageQueued(String orderId) {
            done(orders.get(orderId), "PAID_EFFECTS");
        }

        private static void done(Map<String, Object> order, String step) {
            List<Object> done = new ArrayList<>(order.get("done") instanceof List<?> list ? list : List.of());
            if (!done.contains(step)) {
                done.add(step);
            }
            order.put("done", done);
        }

        @Override
        public synchronized boolean finishDeferredErasure(String orderId) {
            if (finishFailures > 0) {
                finishFailures--;
                throw new IllegalStateException("the orders table is unavailable");
            }
            Map<String, Object> order = orders.get(orderId);
            if (order == null || !order.containsKey("shippingKeptUntilDone") || order.get("status").equals("PAID")) {
                return false;
            }
            order.remove("shippingKeptUntilDone");
            order.remove("customerName");
            if (order.get("shipping") instanceof Map<?, ?> shipping) {
                order.put("shipping", Map.of("country", shipping.get("country")));
            }
            return true;
        }

        @Override
        public void createdBetween(Instant from, Instant to, Consumer<Map<String, Object>> order) {
            orders.values().stream()
                    .filter(o -> Instant.parse((String) o.get("createdAt")).compareTo(from) >= 0
                            && Instant.parse((String) o.get("createdAt")).isBefore(to))
                    .sorted(Comparator.comparing((Map<String, Object> o) -> (String) o.get("listedAt")))
                    .forEach(order);
        }
    }

    static OrderSummary summary(Map<String, Object> o) {
        return new OrderSummary(((String) o.get("pk")).substring(6), (String) o.get("orderNumber"), (String) o.get("status"),
                (String) o.get("createdAt"), (String) o.get("customerName"), (Long) o.get("amountTotal"),
                (Long) o.get("amountRefunded"), (String) o.get("currency"), (String) o.get("country"),
                (String) o.get("fulfilledAt"));
    }

    /** The suppression list: the reason recorded for each address (bounce, complaint, unsubscribe...). */
    static final class Suppressions implements MailSuppressions {
        final Map<String, String> reasons = new ConcurrentHashMap<>();

        @Override
        public Optional<String> undeliverable(String address) {
            return Optional.ofNullable(reasons.get(address.strip().toLowerCase(java.util.Locale.ROOT)))
                    .filter(Set.of(BOUNCE, COMPLAINT)::contains);
        }
    }

    static final class Events implements OrderEvents {
        final List<OrderMessage> published = new CopyOnWriteArrayList<>();
        int failures;

        @Override
        public void publish(OrderMessage message) {
            if (failures > 0) {
                failures--;
                throw new IllegalStateException("queue unavailable");
            }
            published.add(message);
        }
    }

    static final class Trail implements AuditTrail {
        final List<AdminAction> actions = new CopyOnWriteArrayList<>();

        @Override
        public void record(AdminAction action) {
            actions.add(action);
        }

        @Override
        public List<AdminAction> of(String subject) {
            return actions.stream().filter(a -> a.subject().equals(subject)).toList();
        }
    }

    static final class Exports implements AccountingExports {
        final Map<String, byte[]> files = new LinkedHashMap<>();
        final List<Duration> links = new ArrayList<>();

        @Override
        public void put(String key, byte[] csv) {
            files.put(key, csv);
        }

        @Override
        public URI downloadUrl(String key, Duration validFor) {
            links.add(validFor);
            return URI.create("https://exports.example.com/" + key + "?signed");
        }
    }
}
