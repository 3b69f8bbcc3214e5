package shop.commerce.orders;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import shop.core.errors.InvalidInputException;

/**
 * A shipping address typed by a person (a customer's privacy correction) or for them (the back office's change at
 * their request); valid once built. Field names are those of the orders table. One set of checks for both: a refusal
 * names the field as the caller's body names it ({@link #of}: {@code correction.shippingAddress.city} or
 * {@code shippingAddress.city}).
 */
public record ShippingAddress(String line1, String line2, String postalCode, String city, String state, String country) {
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    /** The longest name or address line. */
    public static final int MAX = 200;
    private static final int MAX_POSTAL_CODE = 20;
    /** What the back office's body calls it; the constructor's refusals name it so. */
    public static final String FIELD = "shippingAddress";

    public ShippingAddress {
        String[] parts = checked(FIELD, line1, line2, postalCode, city, state, country);
        line1 = parts[0];
        line2 = parts[1];
        postalCode = parts[2];
        city = parts[3];
        state = parts[4];
        country = parts[5];
    }

    /** The address checked, a refusal naming its part under {@code field} ({@code field.line1}, ...). */
    public static ShippingAddress of(String field, String line1, String line2, String postalCode, String city,
                                     String state, String country) {
        String[] parts = checked(field, line1, line2, postalCode, city, state, country);
        return new ShippingAddress(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]);
    }

    /** From a request body's object of that name ({@code field}, to name a refusal): each part a string or absent. */
    public static ShippingAddress fromJson(String field, JsonNode address) {
        if (address == null || !address.isObject()) {
            throw new InvalidInputException(field,
                    "\"" + field + "\" is an object: line1, line2, postalCode, city, state, country.");
        }
        String p = field + ".";
        return of(field, text(address, "line1", p), text(address, "line2", p), text(address, "postalCode", p),
                text(address, "city", p), text(address, "state", p), text(address, "country", p));
    }

    /** A part of a request body: a string or absent (null); anything else is refused, naming it. */
    public static String text(JsonNode node, String name, String prefix) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidInputException(prefix + name, "\"" + prefix + name + "\" must be a string.");
        }
        return value.textValue();
    }

    /** A person's name as an order carries it ({@code customerName}, the shipping address's {@code name}): required. */
    public static String name(String field, String value) {
        return TextField.required(field, value, MAX);
    }

    private static String[] checked(String field, String line1, String line2, String postalCode, String city,
                                    String state, String country) {
        String prefix = field + ".";
        String[] parts = {
            TextField.required(prefix + "line1", line1, MAX),
            TextField.optional(prefix + "line2", line2, MAX),
            TextField.optional(prefix + "postalCode", postalCode, MAX_POSTAL_CODE),
            TextField.required(prefix + "city", city, MAX),
            TextField.optional(prefix + "state", state, MAX),
            country == null ? null : country.strip()
        };
        if (parts[5] == null || !COUNTRY.matcher(parts[5]).matches()) {
            throw new InvalidInputException(prefix + "country",
                    "\"" + prefix + "country\" is a two-letter ISO 3166-1 code in capitals, like US or FR.");
        }
        return parts;
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

    @Override
    public String toString() {
        return "ShippingAddress[redacted]";
    }
}
