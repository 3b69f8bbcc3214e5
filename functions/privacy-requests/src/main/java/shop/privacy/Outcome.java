package shop.privacy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What carrying out a request did: the stores it changed (or, for an access request, read),
 * counts of what it found or changed, and for an access request the download link.
 */
public record Outcome(List<Store> stores, Map<String, Integer> counts, Optional<String> downloadLink) {
    private static final Pattern COUNT = Pattern.compile("(?:^| )([A-Za-z]+)=([0-9]{1,9})(?= |$)");

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
        return detail(counts);
    }

    /** Counts as one audit line, as {@link #auditDetail}. */
    public static String detail(Map<String, Integer> counts) {
        StringBuilder detail = new StringBuilder();
        counts.forEach((name, n) -> detail.append(detail.isEmpty() ? "" : " ").append(name).append('=').append(n));
        return detail.toString();
    }

    /** The counts of an audit line written by {@link #detail}; anything else in it is not a count and is skipped. */
    public static Map<String, Integer> parseDetail(String detail) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Matcher count = COUNT.matcher(detail);
        while (count.find()) {
            counts.merge(count.group(1), Integer.parseInt(count.group(2)), Integer::sum);
        }
        return counts;
    }
}
