package shop.commerce;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.util.Currency;
import java.util.Locale;

/**
 * An amount in the currency's minor unit (cents for USD, yen for JPY) and its ISO 4217 code,
 * upper-case. Never a floating-point number: sums of prices must be exact.
 */
public record Money(long amount, String currency) {
    public Money {
        if (amount < 0) {
            throw new IllegalArgumentException("An amount cannot be negative");
        }
        currency = isoCode(currency);
    }

    public static Money of(long amount, String currency) {
        return new Money(amount, currency);
    }

    /** The upper-case ISO 4217 code; Stripe spells it lower-case, people upper-case. */
    public static String isoCode(String currency) {
        if (currency == null || !currency.matches("[A-Za-z]{3}")) {
            throw new IllegalArgumentException("A currency is a three-letter ISO 4217 code such as USD");
        }
        String code = currency.toUpperCase(Locale.ROOT);
        try {
            Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(code + " is not an ISO 4217 currency code");
        }
        return code;
    }

    public Money times(int quantity) {
        return new Money(Math.multiplyExact(amount, quantity), currency);
    }

    public Money plus(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("Cannot add " + other.currency + " to " + currency);
        }
        return new Money(Math.addExact(amount, other.amount), currency);
    }

    /** For people: "$1,250.00", "€85.00", "¥3,000". */
    public String format() {
        Currency iso = Currency.getInstance(currency);
        NumberFormat format = NumberFormat.getCurrencyInstance(Locale.US);
        format.setCurrency(iso);
        format.setMinimumFractionDigits(Math.max(iso.getDefaultFractionDigits(), 0));
        format.setMaximumFractionDigits(Math.max(iso.getDefaultFractionDigits(), 0));
        return format.format(BigDecimal.valueOf(amount).movePointLeft(Math.max(iso.getDefaultFractionDigits(), 0)));
    }
}
