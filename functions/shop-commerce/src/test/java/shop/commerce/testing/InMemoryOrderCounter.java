package shop.commerce.testing;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import shop.commerce.stats.OrderCounter;

/** Orders per day in memory, counting each order once. */
public final class InMemoryOrderCounter implements OrderCounter {
    private final Map<LocalDate, Set<String>> counted = new HashMap<>();

    @Override
    public synchronized boolean count(LocalDate day, String orderId) {
        return counted.computeIfAbsent(day, d -> new HashSet<>()).add(orderId);
    }

    @Override
    public synchronized long orders(LocalDate day) {
        return counted.getOrDefault(day, Set.of()).size();
    }
}
