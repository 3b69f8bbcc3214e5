package shop.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import shop.commerce.orders.ShippingAddress;
import shop.core.email.EmailAddress;
import shop.core.errors.InvalidInputException;

/**
 * What a correct request changes: a name, a shipping address, or both; or, from the signed-in
 * account only, once the new address has proven itself with a mailed code, the orders' email
 * address. Valid once built.
 */
public record Correction(Optional<String> name, Optional<ShippingAddress> shippingAddress, Optional<EmailAddress> email) {
    public Correction {
        name = name.map(value -> ShippingAddress.name("correction.name", value));
        if (name.isEmpty() && shippingAddress.isEmpty() && email.isEmpty()) {
            throw new InvalidInputException("correction", "\"correction\" needs \"name\", \"shippingAddress\" or both.");
        }
    }

    public Correction(Optional<String> name, Optional<ShippingAddress> shippingAddress) {
        this(name, shippingAddress, Optional.empty());
    }

    /** The account's change of address: its orders move to {@code email}, which proved itself with a code. */
    public static Correction newAddress(EmailAddress email) {
        return new Correction(Optional.empty(), Optional.empty(), Optional.of(email));
    }

    /** From the request body's {@code correction} object. */
    public static Correction fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new InvalidInputException("correction", "\"correction\" is an object with \"name\" and/or \"shippingAddress\".");
        }
        Optional<String> name = Optional.ofNullable(ShippingAddress.text(node, "name", "correction."));
        JsonNode address = node.get("shippingAddress");
        Optional<ShippingAddress> shipping = address == null || address.isNull() ? Optional.empty()
                : Optional.of(ShippingAddress.fromJson("correction.shippingAddress", address));
        return new Correction(name, shipping);
    }

    /**
     * What the person asked to change, as plain values: {@code name}, {@code email},
     * {@code shippingAddress} (its parts), only those present. For the access export and the
     * owner's view of a request left to finish by hand; personal data, never logged.
     */
    public Map<String, Object> fields() {
        Map<String, Object> map = new LinkedHashMap<>();
        name.ifPresent(value -> map.put("name", value));
        email.ifPresent(value -> map.put("email", value.value()));
        shippingAddress.ifPresent(address -> map.put("shippingAddress", address.fields()));
        return map;
    }

    @Override
    public String toString() {
        return "Correction[redacted]";
    }
}
