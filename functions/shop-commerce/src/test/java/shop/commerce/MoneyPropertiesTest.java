package shop.commerce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Money arithmetic is exact, order-independent, and fails loudly instead of wrapping. */
class MoneyPropertiesTest {

    @Property
    void additionIsCommutativeAndAssociative(@ForAll @LongRange(max = 1_000_000_000L) long a,
            @ForAll @LongRange(max = 1_000_000_000L) long b, @ForAll @LongRange(max = 1_000_000_000L) long c) {
        Money x = Money.of(a, "EUR");
        Money y = Money.of(b, "EUR");
        Money z = Money.of(c, "EUR");
        assertEquals(x.plus(y), y.plus(x));
        assertEquals(x.plus(y).plus(z), x.plus(y.plus(z)));
    }

    @Property
    void timesIsRepeatedAddition(@ForAll @LongRange(max = 10_000_000L) long price, @ForAll @IntRange(min = 1, max = 10) int quantity) {
        Money unit = Money.of(price, "USD");
        Money sum = unit;
        for (int i = 1; i < quantity; i++) {
            sum = sum.plus(unit);
        }
        assertEquals(sum, unit.times(quantity));
    }

    @Property
    void overflowThrowsInsteadOfWrapping(@ForAll @LongRange(min = Long.MAX_VALUE / 2 + 1) long big) {
        Money huge = Money.of(big, "USD");
        assertThrows(ArithmeticException.class, () -> huge.plus(huge));
        assertThrows(ArithmeticException.class, () -> huge.times(2));
    }

    @Property
    void differentCurrenciesNeverAdd(@ForAll @LongRange(max = 1_000_000L) long a) {
        assertThrows(IllegalArgumentException.class, () -> Money.of(a, "USD").plus(Money.of(a, "EUR")));
    }

    @Property
    void negativeAmountsDoNotExist(@ForAll @LongRange(min = Long.MIN_VALUE, max = -1) long negative) {
        assertThrows(IllegalArgumentException.class, () -> Money.of(negative, "USD"));
    }
}
