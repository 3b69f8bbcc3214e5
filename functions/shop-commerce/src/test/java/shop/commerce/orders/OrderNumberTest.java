package shop.commerce.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OrderNumberTest {

    @ParameterizedTest
    @ValueSource(strings = {"7KQ4-M2XD", "7kq4-m2xd", "#7KQ4-M2XD", "  # 7KQ4 M2XD ", "7KQ4M2XD", "7kq4 - m2xd",
            "7KQ4\u2013M2XD", "7KQ4\u00a0M2XD", "\t7KQ4-M2XD\n"})
    void theWaysANumberIsTypedAreTheNumberTheMailsShow(String typed) {
        assertEquals(Optional.of("7KQ4-M2XD"), OrderNumber.normalise(typed));
    }

    @Test
    void lettersThatLookLikeDigitsAreReadAsTheDigits() {
        assertEquals(Optional.of("0111-AB01"), OrderNumber.normalise("OIlL-ABo1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "#", "7KQ4-M2X", "7KQ4-M2XDE", "7KQ4-M2XU", "7KQ4_M2XD", "7KQ4-M2X\u0131",
            "7KQ4-M2X\uff24", "##7KQ4-M2XD", "cs_test_a1", "7KQ4-M2XD' OR '1'='1", "ada@example.com",
            "7KQ4-M2XD-7KQ4-M2XD-7KQ4-M2XD-7KQ4-M2XD-1"})
    void anythingElseIsNoNumber(String typed) {
        assertEquals(Optional.empty(), OrderNumber.normalise(typed), typed);
    }

    @Test
    void everyNumberTheShopWritesReadsBackAsItself() {
        for (int i = 0; i < 500; i++) {
            String number = OrderNumber.of("cs_test_" + i);
            assertEquals(Optional.of(number), OrderNumber.normalise(number));
            assertEquals(Optional.of(number), OrderNumber.normalise("#" + number.toLowerCase().replace("-", " ")));
        }
        assertTrue(OrderNumber.normalise(null).isEmpty());
    }
}
