package shop.privacy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import shop.core.errors.InvalidInputException;

/** A corrected shipping address; valid once built. Field names are those of the orders table. */
public record ShippingAddress(String line1, String line2, String postalCode, String city, String state, String country) {
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    static final int MAX = 200;

    public ShippingAddress {
        String prefix = "correction.shippingAddress.";
        line1 = TextField.required(prefix + "line1", line1, MAX);
        line2 = TextField.optional(prefix + "line2", line2, MAX);
        postalCode = TextField.optional(prefix + "postalCode", postalCode, 20);
        city = TextField.required(prefix + "city", city, MAX);
        state = TextField.optional(prefix + "state", state, MAX);
        if (country == null || !COUNTRY.matcher(country.strip()).matches()) {
            throw new InvalidInputException(prefix + "country",
                    "\"" + prefix + "country\" is a two-letter ISO 3166-1 code in capitals, like US or FR.");
        }
        country = country.strip();
    }

    /** The parts present, in the orders table's attribute names. */
    public Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("line1", line1);
        if (line2 != null) {
            fields.put("line2", line2);
        }
        if (postalCode != null) {
            fields.put("postalCode", postalCode);
        }
        fields.put("city", city);
        if (state != null) {
            fields.put("state", state);
        }
        fields.put("country", country);
        return fields;
    }
}
