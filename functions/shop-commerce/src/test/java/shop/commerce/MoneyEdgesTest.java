package shop.commerce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Money arithmetic is exact, order-independent, and fails loudly instead of wrapping: checked
 * at the edges where it could go wrong (zero, one, the largest amount and its neighbours, the
 * pairs whose sum or product is exactly {@code Long.MAX_VALUE} or one past it).
 */
class MoneyEdgesTest {
    private static final long MAX = Long.MAX_VALUE;
    private static final List<Long> EDGES = List.of(0L, 1L, 2L, 99L, 100L, 1_000_000_000L,
            MAX / 3, MAX / 2 - 1, MAX / 2, MAX / 2 + 1, MAX - 2, MAX - 1, MAX);

    static Stream<Arguments> pairsOfEdges() {
        return EDGES.stream().flatMap(a -> EDGES.stream().map(b -> Arguments.of(a, b)));
    }

    static Stream<Arguments> triplesOfEdges() {
        return EDGES.stream().flatMap(a -> EDGES.stream().flatMap(b -> EDGES.stream().map(c -> Arguments.of(a, b, c))));
    }

    /** Every pair of edges: the sum is the exact one, or an ArithmeticException when it passes Long.MAX_VALUE. */
    @ParameterizedTest
    @MethodSource("pairsOfEdges")
    void additionIsExactAndCommutativeOrThrows(long a, long b) {
        Money x = Money.of(a, "EUR");
        Money y = Money.of(b, "EUR");
        BigInteger exact = BigInteger.valueOf(a).add(BigInteger.valueOf(b));
        if (exact.bitLength() < Long.SIZE) {
            assertEquals(Money.of(exact.longValueExact(), "EUR"), x.plus(y));
            assertEquals(x.plus(y), y.plus(x));
        } else {
            assertThrows(ArithmeticException.class, () -> x.plus(y));
            assertThrows(ArithmeticException.class, () -> y.plus(x));
        }
    }

    @ParameterizedTest
    @MethodSource("triplesOfEdges")
    void additionIsAssociativeWhereItFits(long a, long b, long c) {
        BigInteger exact = BigInteger.valueOf(a).add(BigInteger.valueOf(b)).add(BigInteger.valueOf(c));
        Money x = Money.of(a, "EUR");
        Money y = Money.of(b, "EUR");
        Money z = Money.of(c, "EUR");
        if (exact.bitLength() < Long.SIZE) {
            assertEquals(x.plus(y).plus(z), x.plus(y.plus(z)));
            assertEquals(exact.longValueExact(), x.plus(y).plus(z).amount());
        } else {
            // Whichever pair is added first, the whole sum does not fit: one of the two steps throws.
            assertThrows(ArithmeticException.class, () -> x.plus(y).plus(z));
            assertThrows(ArithmeticException.class, () -> x.plus(y.plus(z)));
        }
    }

    static Stream<Arguments> pricesAndQuantities() {
        long[] prices = {0, 1, 99, 18_500, 10_000_000, MAX / 10, MAX / 10 + 1, MAX / 2, MAX / 2 + 1, MAX - 1, MAX};
        return LongStream.of(prices).boxed()
                .flatMap(price -> IntStream.rangeClosed(1, 10).mapToObj(quantity -> Arguments.of(price, quantity)));
    }

    /** times(n) is n additions, and both overflow together: at MAX / 10 + 1 times 10, at MAX / 2 + 1 times 2. */
    @ParameterizedTest
    @MethodSource("pricesAndQuantities")
    void timesIsRepeatedAdditionAndOverflowsWhereItDoes(long price, int quantity) {
        Money unit = Money.of(price, "USD");
        BigInteger exact = BigInteger.valueOf(price).multiply(BigInteger.valueOf(quantity));
        if (exact.bitLength() < Long.SIZE) {
            Money sum = unit;
            for (int i = 1; i < quantity; i++) {
                sum = sum.plus(unit);
            }
            assertEquals(sum, unit.times(quantity));
            assertEquals(exact.longValueExact(), unit.times(quantity).amount());
        } else {
            assertThrows(ArithmeticException.class, () -> unit.times(quantity));
        }
    }

    /** The largest quantities an int holds overflow; a negative one is refused, as a negative amount or an overflow. */
    @ParameterizedTest
    @CsvSource({"2147483647, java.lang.ArithmeticException", "2147483646, java.lang.ArithmeticException",
            "-1, java.lang.IllegalArgumentException", "-2147483648, java.lang.ArithmeticException"})
    void extremeQuantitiesOfAnExpensivePieceNeverWrap(int quantity, Class<? extends Exception> refusal) {
        Money unit = Money.of(MAX / 2, "USD");
        assertThrows(refusal, () -> unit.times(quantity));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, MAX / 2, MAX})
    void differentCurrenciesNeverAdd(long amount) {
        assertThrows(IllegalArgumentException.class, () -> Money.of(amount, "USD").plus(Money.of(amount, "EUR")));
        assertThrows(IllegalArgumentException.class, () -> Money.of(amount, "JPY").plus(Money.of(0, "USD")));
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, -2, -100, Long.MIN_VALUE / 2, Long.MIN_VALUE + 1, Long.MIN_VALUE})
    void negativeAmountsDoNotExist(long negative) {
        assertThrows(IllegalArgumentException.class, () -> Money.of(negative, "USD"));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, MAX})
    void zeroAndTheLargestAmountExist(long amount) {
        assertEquals(amount, Money.of(amount, "usd").amount());
    }
}
