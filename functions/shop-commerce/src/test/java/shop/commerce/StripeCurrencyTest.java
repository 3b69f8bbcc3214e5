package shop.commerce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Stripe's units (https://docs.stripe.com/currencies), where they differ from ISO 4217's and where they do not. */
class StripeCurrencyTest {

    @ParameterizedTest(name = "{0}: {1} people write is Stripe''s {2}, shown as {3}")
    @CsvSource(delimiter = '|', value = {
        // ISO says 0 decimals; Stripe wants two that are always 00: a 25,000 ISK ring is 2500000, not 25000.
        "ISK | 25000  | 2500000 | ISK 25,000",
        "UGX | 5      | 500     | UGX 5",
        // ISO says 2 decimals; Stripe says none.
        "MGA | 5000   | 5000    | MGA 5,000",
        "JPY | 3000   | 3000    | ¥3,000",
        "KWD | 12.340 | 12340   | KWD 12.340",
        "USD | 12.50  | 1250    | $12.50",
        "HUF | 175.00 | 17500   | HUF 175.00",
        "TWD | 800.45 | 80045   | NT$800.45",
    })
    void countsAsStripeDoes(String code, BigDecimal written, long amount, String formatted) {
        StripeCurrency counted = StripeCurrency.of(code.toLowerCase());

        assertEquals(amount, written.movePointRight(counted.exponent()).longValueExact());
        assertEquals(0, written.compareTo(counted.major(amount)));
        assertEquals(formatted, Money.of(amount, code).format());
        assertTrue(counted.charges(amount));
    }

    @Test
    void knowsTheStepsStripeChargesIn() {
        assertEquals(new StripeCurrency("ISK", 2, 0, 100), StripeCurrency.of("isk"));
        assertEquals(new StripeCurrency("MGA", 0, 0, 1), StripeCurrency.of("MGA"));
        assertEquals(new StripeCurrency("JPY", 0, 0, 1), StripeCurrency.of("JPY"));
        assertEquals(new StripeCurrency("KWD", 3, 3, 10), StripeCurrency.of("KWD"));
        assertEquals(new StripeCurrency("USD", 2, 2, 1), StripeCurrency.of("USD"));

        assertFalse(StripeCurrency.of("ISK").charges(2500050), "no fractions of a króna");
        assertEquals(2500000, StripeCurrency.of("ISK").stepBelow(2500050));
        assertFalse(StripeCurrency.of("KWD").charges(12345), "tens of fils only");
        assertEquals(12340, StripeCurrency.of("KWD").stepBelow(12345));
        assertTrue(StripeCurrency.of("JPY").charges(4201));
    }

    @Test
    void anAmountStripeWouldNotChargeIsShownWithTheDecimalsThatMakeItDiffer() {
        assertEquals("ISK 25,000.5", Money.of(2500050, "ISK").format());
    }

    /** The admin page counts money with its own copy of the lists (local/admin/admin.js): it must be this one. */
    @Test
    void theAdminPageCountsCurrenciesAsThisTableDoes() throws IOException {
        String adminJs = Files.readString(Path.of("../../local/admin/admin.js"));

        assertEquals(StripeCurrency.ZERO_DECIMAL, list(adminJs, "STRIPE_ZERO_DECIMAL"));
        assertEquals(StripeCurrency.THREE_DECIMAL, list(adminJs, "STRIPE_THREE_DECIMAL"));
        assertEquals(StripeCurrency.WHOLE_UNITS_IN_TWO_DECIMALS, list(adminJs, "STRIPE_WHOLE_UNITS_IN_TWO_DECIMALS"));
    }

    private static Set<String> list(String js, String name) {
        Matcher m = Pattern.compile("const " + name + " = '([A-Z ]*)'\\.split\\(' '\\);").matcher(js);
        assertTrue(m.find(), name + " in admin.js");
        return Set.of(m.group(1).split(" "));
    }
}
