package shop.privacy;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import shop.core.errors.InvalidInputException;

/** What a person asks of the shop about their personal data. */
public enum RequestType {
    /** A copy of everything held about the address. */
    ACCESS("access"),
    /** Erasure: personal data removed, orders anonymised, the address suppressed. */
    DELETE("delete"),
    /** A new name or shipping address on orders not yet shipped. */
    CORRECT("correct"),
    /** No more marketing mail, and checkout closed to the address. */
    OPT_OUT("opt_out"),
    /** Checkout open to the address again after an opt-out. */
    REACTIVATE("reactivate"),
    /**
     * A mail with the subject "Unsubscribe" whose sender SES authenticated (SPF or DKIM); it
     * needs no link, so the API never takes it.
     */
    UNSUBSCRIBE("unsubscribe");

    private final String wireName;

    RequestType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The {@code type} of {@code POST /privacy/requests}. */
    public static RequestType fromApi(String value) {
        String wanted = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(type -> type != UNSUBSCRIBE && type.wireName.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new InvalidInputException("type", "\"type\" is one of "
                        + Arrays.stream(values()).filter(t -> t != UNSUBSCRIBE).map(t -> "\"" + t.wireName + "\"")
                        .collect(Collectors.joining(", ")) + "."));
    }

    public static RequestType fromWire(String value) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown request type " + value));
    }
}
