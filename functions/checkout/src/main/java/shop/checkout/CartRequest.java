package shop.checkout;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import shop.commerce.catalog.Sku;
import shop.core.email.EmailAddress;
import shop.core.errors.InvalidInputException;
import shop.core.privacy.PrivacySignals;

/**
 * {@code {"items": [{"sku", "quantity"}], "email"}} (the email required from a request, {@link #of}), valid once built: 1-20 lines, 1-10 of each,
 * each SKU once. Prices are not part of it: they come from the catalog, never from the client.
 * {@code signals} are the browser's Sec-GPC / DNT headers; {@code sourceIp} the client's address
 * (null when unknown).
 */
public record CartRequest(List<CartLine> lines, Optional<EmailAddress> email, PrivacySignals signals, String sourceIp) {
    static final int MAX_LINES = 20;
    static final int MAX_QUANTITY = 10;

    public CartRequest(List<CartLine> lines, Optional<EmailAddress> email) {
        this(lines, email, PrivacySignals.NONE, null);
    }

    public CartRequest {
        signals = signals == null ? PrivacySignals.NONE : signals;
        lines = List.copyOf(lines);
        if (lines.isEmpty() || lines.size() > MAX_LINES) {
            throw new InvalidInputException("items", "\"items\" holds 1 to " + MAX_LINES + " lines.");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            CartLine line = lines.get(i);
            if (!Sku.wellFormed(line.sku())) {
                throw new InvalidInputException("items[" + i + "].sku",
                        "\"items[" + i + "].sku\" is not a SKU from the catalog.");
            }
            if (line.quantity() < 1 || line.quantity() > MAX_QUANTITY) {
                throw new InvalidInputException("items[" + i + "].quantity",
                        "\"items[" + i + "].quantity\" is a whole number from 1 to " + MAX_QUANTITY + ".");
            }
            if (!seen.add(line.sku())) {
                throw new InvalidInputException("items[" + i + "].sku",
                        "SKU " + line.sku() + " appears twice; send it once with its quantity.");
            }
        }
    }

    /** From the parsed body's fields; every message names the field to fix. */
    public static CartRequest of(JsonNode items, Optional<String> email) {
        if (items == null || items.isNull()) {
            throw new InvalidInputException("items", "\"items\" is required: a list of {\"sku\", \"quantity\"}.");
        }
        if (!items.isArray()) {
            throw new InvalidInputException("items", "\"items\" must be a list of {\"sku\", \"quantity\"}.");
        }
        if (items.isEmpty() || items.size() > MAX_LINES) {
            throw new InvalidInputException("items", "\"items\" holds 1 to " + MAX_LINES + " lines.");
        }
        List<CartLine> lines = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String field = "items[" + i + "]";
            if (!item.isObject()) {
                throw new InvalidInputException(field, "\"" + field + "\" must be an object {\"sku\", \"quantity\"}.");
            }
            JsonNode sku = item.get("sku");
            if (sku == null || !sku.isTextual()) {
                throw new InvalidInputException(field + ".sku", "\"" + field + ".sku\" is required (a string).");
            }
            JsonNode quantity = item.get("quantity");
            if (quantity == null || !quantity.isIntegralNumber() || !quantity.canConvertToInt()) {
                throw new InvalidInputException(field + ".quantity",
                        "\"" + field + ".quantity\" is a whole number from 1 to " + MAX_QUANTITY + ".");
            }
            lines.add(new CartLine(sku.textValue(), quantity.intValue()));
        }
        // Stripe shows this address read-only: the one checked against deactivations is the one paid with.
        String address = email.orElseThrow(() -> new InvalidInputException("email",
                "\"email\" is required: the address the order confirmation goes to."));
        return new CartRequest(lines, Optional.of(EmailAddress.parse("email", address)));
    }

    public CartRequest withSignals(PrivacySignals browserSignals) {
        return new CartRequest(lines, email, browserSignals, sourceIp);
    }

    /** The address the request came from, as API Gateway saw it (per-client limits count it). */
    public CartRequest from(String requestSourceIp) {
        return new CartRequest(lines, email, signals, requestSourceIp);
    }
}
