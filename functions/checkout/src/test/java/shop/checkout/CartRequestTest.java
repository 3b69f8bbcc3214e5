package shop.checkout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import shop.core.errors.InvalidInputException;
import shop.core.json.Json;

class CartRequestTest {
    @Test
    void aValidCart() throws Exception {
        var cart = CartRequest.of(json("[{\"sku\":\"RING-ARIA\",\"quantity\":1},{\"sku\":\"EAR-COMET\",\"quantity\":10}]"),
                Optional.of(" Ada@Example.com "));
        assertEquals(2, cart.lines().size());
        assertEquals("ada@example.com", cart.email().orElseThrow().value());
    }

    static Stream<Arguments> badCarts() {
        String twentyOne = "[" + String.join(",", java.util.Collections.nCopies(21, "{\"sku\":\"X\",\"quantity\":1}")) + "]";
        return Stream.of(
                Arguments.of("null", "items"),
                Arguments.of("{\"sku\":\"A\"}", "items"),
                Arguments.of("[]", "items"),
                Arguments.of(twentyOne, "items"),
                Arguments.of("[\"RING-ARIA\"]", "items[0]"),
                Arguments.of("[{\"quantity\":1}]", "items[0].sku"),
                Arguments.of("[{\"sku\":7,\"quantity\":1}]", "items[0].sku"),
                Arguments.of("[{\"sku\":\"../etc\",\"quantity\":1}]", "items[0].sku"),
                Arguments.of("[{\"sku\":\"A\"}]", "items[0].quantity"),
                Arguments.of("[{\"sku\":\"A\",\"quantity\":0}]", "items[0].quantity"),
                Arguments.of("[{\"sku\":\"A\",\"quantity\":11}]", "items[0].quantity"),
                Arguments.of("[{\"sku\":\"A\",\"quantity\":1.5}]", "items[0].quantity"),
                Arguments.of("[{\"sku\":\"A\",\"quantity\":\"2\"}]", "items[0].quantity"),
                Arguments.of("[{\"sku\":\"A\",\"quantity\":99999999999}]", "items[0].quantity"),
                Arguments.of("[{\"sku\":\"A\",\"quantity\":1},{\"sku\":\"A\",\"quantity\":1}]", "items[1].sku"));
    }

    @ParameterizedTest
    @MethodSource("badCarts")
    void badCartsNameTheFieldToFix(String items, String field) throws Exception {
        var error = assertThrows(InvalidInputException.class, () -> CartRequest.of(json(items), Optional.of("ada@example.com")));
        assertEquals(field, error.field());
    }

    @Test
    void aBadEmailIsRejected() {
        var error = assertThrows(InvalidInputException.class,
                () -> CartRequest.of(json("[{\"sku\":\"A\",\"quantity\":1}]"), Optional.of("ada@example.com\r\nBcc: x@y.z")));
        assertEquals("email", error.field());
    }

    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }
}
