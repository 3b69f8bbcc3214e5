package shop.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import shop.core.errors.InvalidInputException;

class JsonBodyTest {

    private static ApiRequest post(String json) {
        var event = new APIGatewayV2HTTPEvent();
        event.setHeaders(Map.of("content-type", "application/json"));
        event.setBody(json);
        event.setRequestContext(new APIGatewayV2HTTPEvent.RequestContext());
        return new ApiRequest(event);
    }

    /** JSON escapes of half a character: the bytes are ASCII, so only the parsed text shows them. */
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"name\":\"Ring \\ud800\"}",                      // a high half alone
        "{\"name\":\"\\udc8d Ring\"}",                      // a low half alone
        "{\"name\":\"\\udc8d\\ud83d\"}",                    // the halves of a ring emoji the wrong way round
        "{\"name\":\"Ring \\ud83d\"}",                      // a high half at the very end
        "{\"ok\":\"x\",\"na\\ud800me\":\"Ring\"}",           // in a field's name
        "{\"lines\":[{\"sku\":\"RING-1\",\"note\":[\"\\udfff\"]}]}" // deep in arrays and objects
    })
    void halfACharacterAnywhereIsTheCallersErrorBeforeAnyFieldIsRead(String json) {
        InvalidInputException refused = assertThrows(InvalidInputException.class, () -> JsonBody.parse(post(json), 10_000));
        assertTrue(refused.getMessage().contains("half a character"), refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"name\":\"Ring \\ud83d\\udc8d\"}", "{\"name\":\"Ring \uD83D\uDC8D\"}"})
    void wholeCharactersOutsideTheBasicPlaneAreRead(String json) {
        assertEquals("Ring \uD83D\uDC8D", JsonBody.parse(post(json), 10_000).requiredString("name"));
    }
}
