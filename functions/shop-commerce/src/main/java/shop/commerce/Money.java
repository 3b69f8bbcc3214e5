package shop.commerce;

import java.text.NumberFormat;
import java.util.Currency;
import java.util.Locale;

/**
 * An amount in Stripe's smallest unit of the currency (cents for USD, yen for JPY, hundredths of a
 * króna for ISK: see {@link StripeCurrency}) and its ISO 4217 code, upper-case. Never a floating-point number: sums of prices must be exact.
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

    /**
     * For people: "$1,250.00", "€85.00", "¥3,000", "ISK 25,000" (Stripe's 2500000), "KWD 12.340"; an amount
     * Stripe would not charge (ISK 2500050) keeps the decimals that make it differ: "ISK 25,000.5".
     */
    public String format() {
        StripeCurrency counted = StripeCurrency.ofIsoCode(currency);
        NumberFormat format = NumberFormat.getCurrencyInstance(Locale.US);
        format.setCurrency(Currency.getInstance(currency));
        format.setMinimumFractionDigits(counted.shownDigits());
        format.setMaximumFractionDigits(counted.exponent());
        String text = format.format(counted.major(amount));
        // Locale.US writes a currency without a symbol of its own as its code, glued to the number ("ISK25,000").
        return text.startsWith(currency) ? currency + " " + text.substring(currency.length()).strip() : text;
    }
}
