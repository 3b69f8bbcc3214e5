package shop.privacy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What carrying out a request did: the stores it changed (or, for an access request, read),
 * counts of what it found or changed, and for an access request the download link.
 */
public record Outcome(List<Store> stores, Map<String, Integer> counts, Optional<String> downloadLink) {
    public Outcome {
        stores = List.copyOf(stores);
        counts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    public int count(String name) {
        return counts.getOrDefault(name, 0);
    }

    /** Whether anything at all was found or changed; the person learns this only after verifying. */
    public boolean foundAnything() {
        return counts.values().stream().anyMatch(n -> n > 0);
    }

    /** The counts as one audit line, e.g. {@code ordersAnonymised=2 subscriberItems=3}. */
    public String auditDetail() {
        StringBuilder detail = new StringBuilder();
        counts.forEach((name, n) -> detail.append(detail.isEmpty() ? "" : " ").append(name).append('=').append(n));
        return detail.toString();
    }
}
