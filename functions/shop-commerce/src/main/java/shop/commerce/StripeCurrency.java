package shop.commerce;

import java.math.BigDecimal;
import java.util.Set;

/**
 * How Stripe counts a currency, which is not always how ISO 4217 (and {@code java.util.Currency}) counts it
 * (https://docs.stripe.com/currencies, "Minor units in API amounts", "Zero-decimal currencies", "Special cases").
 * Every stored amount is Stripe's {@code amount}/{@code unit_amount}: an integer with {@code exponent} decimals.
 *
 * <ul>
 *   <li>two decimals unless listed below ("Currencies are two-decimal currencies unless otherwise specified");</li>
 *   <li>{@link #ZERO_DECIMAL}: no decimals (500 JPY is 500); MGA is two-decimal in ISO but not at Stripe;</li>
 *   <li>{@link #THREE_DECIMAL}: thousandths whose last digit must be 0 (5.120 KWD is 5120, never 5124);</li>
 *   <li>{@link #WHOLE_UNITS_IN_TWO_DECIMALS}: ISK and UGX are zero-decimal in ISO, but Stripe takes them as
 *       two-decimal amounts whose decimals are always 00 (5 ISK is 500) and charges no fractions of them.</li>
 * </ul>
 * HUF and TWD are ordinary two-decimal currencies for charges and refunds; Stripe wants whole units only for
 * manual payouts, which the shop does not make. local/admin/admin.js holds the same three lists
 * (StripeCurrencyTest compares them).
 *
 * @param exponent the decimals of Stripe's amount: 0, 2 or 3
 * @param shownDigits the decimals people read and write: 0 for ISK although Stripe's amount has 2
 * @param step every amount Stripe charges is a multiple of it (100 for ISK, 10 for KWD, else 1)
 */
public record StripeCurrency(String code, int exponent, int shownDigits, long step) {
    /**
     * The highest {@code unit_amount} a Checkout Session's line takes, in any currency: 8 digits
     * (https://docs.stripe.com/currencies, "Minimum and maximum charge amounts": USD 999,999.99).
     */
    public static final long MAX_UNIT_AMOUNT = 99_999_999L;

    static final Set<String> ZERO_DECIMAL = Set.of("BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG",
            "RWF", "VND", "VUV", "XAF", "XOF", "XPF");
    static final Set<String> THREE_DECIMAL = Set.of("BHD", "JOD", "KWD", "OMR", "TND");
    // Stripe's zero-decimal list names UGX too, but its special case (a two-decimal amount ending in 00) is the
    // rule for a charge, exactly as for ISK.
    static final Set<String> WHOLE_UNITS_IN_TWO_DECIMALS = Set.of("ISK", "UGX");

    /** For an ISO 4217 code in any case; IllegalArgumentException for anything else. */
    public static StripeCurrency of(String currency) {
        return ofIsoCode(Money.isoCode(currency));
    }

    /** For a code {@link Money#isoCode} returned already (a {@link Money}'s currency): not checked again. */
    static StripeCurrency ofIsoCode(String code) {
        if (ZERO_DECIMAL.contains(code)) {
            return new StripeCurrency(code, 0, 0, 1);
        }
        if (THREE_DECIMAL.contains(code)) {
            return new StripeCurrency(code, 3, 3, 10);
        }
        if (WHOLE_UNITS_IN_TWO_DECIMALS.contains(code)) {
            return new StripeCurrency(code, 2, 0, 100);
        }
        return new StripeCurrency(code, 2, 2, 1);
    }

    /** Stripe's amount as the number people read: 2500000 ISK → 25000.00, 1250 USD → 12.50. */
    public BigDecimal major(long amount) {
        return BigDecimal.valueOf(amount, exponent);
    }

    /** Whether Stripe charges (and refunds) this amount: a multiple of {@link #step()}. */
    public boolean charges(long amount) {
        return amount % step == 0;
    }

    /** The nearest amount Stripe charges at or below this one. */
    public long stepBelow(long amount) {
        return Math.floorDiv(amount, step) * step;
    }
}
