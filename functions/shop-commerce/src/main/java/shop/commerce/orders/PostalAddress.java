package shop.commerce.orders;

import java.util.ArrayList;
import java.util.List;

/** An address as Stripe Checkout collected it; only {@code country} (ISO 3166-1 alpha-2) is sure to be there. */
public record PostalAddress(String name, String line1, String line2, String postalCode, String city, String state,
                            String country) {
    public PostalAddress {
        if (country == null || !country.matches("[A-Z]{2}")) {
            throw new IllegalArgumentException("An address needs a two-letter country code");
        }
        name = blankToNull(name);
        line1 = blankToNull(line1);
        line2 = blankToNull(line2);
        postalCode = blankToNull(postalCode);
        city = blankToNull(city);
        state = blankToNull(state);
    }

    /** The address as lines for a label or a mail, empty parts left out. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        add(lines, name);
        add(lines, line1);
        add(lines, line2);
        String cityLine = String.join(" ", nonNull(postalCode), nonNull(city), nonNull(state)).strip().replaceAll(" +", " ");
        add(lines, cityLine);
        lines.add(country);
        return lines;
    }

    private static void add(List<String> lines, String value) {
        if (value != null && !value.isBlank()) {
            lines.add(value);
        }
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
