package shop.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiRequestTest {

    private static ApiRequest request(Map<String, String> headers) {
        var context = new APIGatewayV2HTTPEvent.RequestContext();
        context.setDomainName("abc123.execute-api.eu-west-1.amazonaws.com");
        var event = new APIGatewayV2HTTPEvent();
        event.setHeaders(headers);
        event.setRequestContext(context);
        return new ApiRequest(event);
    }

    @Test
    void linksNeverTakeTheirSchemeOrHostFromAClientHeader() {
        var request = request(Map.of("x-forwarded-proto", "http", "host", "evil.example"));
        assertEquals("https://abc123.execute-api.eu-west-1.amazonaws.com", request.publicBaseUrl(Optional.empty()));
    }

    @Test
    void theConfiguredPublicUrlWinsWithoutItsTrailingSlash() {
        var request = request(Map.of("x-forwarded-proto", "http"));
        assertEquals("https://shop.example/api", request.publicBaseUrl(Optional.of("https://shop.example/api/")));
        assertEquals("https://abc123.execute-api.eu-west-1.amazonaws.com", request.publicBaseUrl(Optional.of("")));
    }
}
