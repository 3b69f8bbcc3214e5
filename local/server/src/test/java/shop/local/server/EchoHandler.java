package shop.local.server;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Test-only handler: remembers the event it got and answers with what tests look for. */
public class EchoHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    static final AtomicReference<APIGatewayV2HTTPEvent> LAST_EVENT = new AtomicReference<>();
    static final AtomicReference<Map<String, String>> ENVIRONMENT = new AtomicReference<>();
    static final AtomicReference<String> FUNCTION_NAME = new AtomicReference<>();
    static final AtomicInteger INSTANCES = new AtomicInteger();
    static final byte[] BINARY = {0, 1, 2, (byte) 0xfe, (byte) 0xff};

    public EchoHandler(Map<String, String> environment) {
        INSTANCES.incrementAndGet();
        ENVIRONMENT.set(environment);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        LAST_EVENT.set(event);
        FUNCTION_NAME.set(context.getFunctionName());
        if (event.getRouteKey().equals("GET /files/{proxy+}")) {
            return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                    .withHeaders(Map.of("content-type", "application/octet-stream"))
                    .withBody(Base64.getEncoder().encodeToString(BINARY)).withIsBase64Encoded(true).build();
        }
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(event.getRequestContext().getHttp().getMethod().equals("POST") ? 201 : 200)
                .withHeaders(Map.of("content-type", "text/plain; charset=utf-8",
                        "access-control-allow-origin", "*")) // API Gateway replaces this with the API's CORS
                .withMultiValueHeaders(Map.of("x-multi", List.of("a", "b")))
                .withCookies(List.of("session=abc; Path=/; HttpOnly", "theme=dark"))
                .withBody(ENVIRONMENT.get().get("GREETING") + ", " + event.getRouteKey())
                .build();
    }
}
