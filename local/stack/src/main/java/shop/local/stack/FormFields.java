package shop.local.stack;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A form body or query string as stripe-java sends it: flat keys with brackets
 * ({@code line_items[0][price_data][currency]=usd}), sent unencoded or percent-encoded.
 */
final class FormFields {
    private final Map<String, List<String>> values;

    private FormFields(Map<String, List<String>> values) {
        this.values = values;
    }

    static FormFields parse(String encoded) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (encoded != null && !encoded.isBlank()) {
            for (String pair : encoded.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String key = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
        }
        return new FormFields(values);
    }

    Optional<String> get(String key) {
        List<String> found = values.get(key);
        return found == null || found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    String require(String key) {
        return get(key).orElseThrow(() -> new StripeStandIn.StripeError(400, "parameter_missing",
                "Missing required param: " + key + ".", key));
    }

    long requireLong(String key) {
        String value = require(key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new StripeStandIn.StripeError(400, "parameter_invalid_integer",
                    "Invalid integer: " + value, key);
        }
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    /** The values of {@code prefix[0]}, {@code prefix[1]}... and of {@code prefix[]}, in order. */
    List<String> list(String prefix) {
        List<String> out = new ArrayList<>(values.getOrDefault(prefix + "[]", List.of()));
        for (int i = 0; values.containsKey(prefix + "[" + i + "]"); i++) {
            out.addAll(values.get(prefix + "[" + i + "]"));
        }
        return out;
    }

    /** The entries {@code prefix[key]=value} as a map (metadata). */
    Map<String, String> map(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((key, list) -> {
            if (key.startsWith(prefix + "[") && key.endsWith("]") && key.indexOf('[', prefix.length() + 1) < 0) {
                out.put(key.substring(prefix.length() + 1, key.length() - 1), list.get(0));
            }
        });
        return out;
    }

    /** Every key with its first value, decoded, in the order sent. */
    Map<String, String> first() {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((key, list) -> out.put(key, list.get(0)));
        return out;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
