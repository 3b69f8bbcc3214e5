package shop.commerce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MoneyTest {
    @Test
    void keepsMinorUnitsAndAnUpperCaseIsoCode() {
        Money money = Money.of(18500, "usd");
        assertEquals("USD", money.currency());
        assertEquals("$185.00", money.format());
        assertEquals(Money.of(55500, "USD"), money.times(3));
    }

    @Test
    void formatsCurrenciesWithoutMinorUnits() {
        assertEquals("¥3,000", Money.of(3000, "JPY").format());
        assertEquals("€85.50", Money.of(8550, "EUR").format());
    }

    @Test
    void refusesNegativeAmountsUnknownCurrenciesAndMixedSums() {
        assertThrows(IllegalArgumentException.class, () -> Money.of(-1, "USD"));
        assertThrows(IllegalArgumentException.class, () -> Money.of(1, "XXQ"));
        assertThrows(IllegalArgumentException.class, () -> Money.of(1, "dollars"));
        assertThrows(IllegalArgumentException.class, () -> Money.of(1, "USD").plus(Money.of(1, "EUR")));
    }
}
