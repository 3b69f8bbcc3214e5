package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.local.stack.CfnTemplate;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.Service;

@ExtendWith(LocalAwsExtension.class)
class LocalApiServerTest {

    static final String STOREFRONT = "http://localhost:3000"; // LocalParameters' StorefrontOrigin
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalAws aws;
    private static LocalApiServer server;

    @BeforeAll
    static void start(LocalAws localAws) {
        aws = localAws;
        CfnTemplate fixture = apiFixture();
        aws.createResources(fixture);
        server = LocalApiServer.start(new LocalFunctions(aws, fixture, Map.of()), 0);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static CfnTemplate apiFixture() {
        try {
            return CfnTemplate.load(Path.of(LocalApiServerTest.class.getResource("/api-fixture.yaml").toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void unknownPathIsA404Problem() throws Exception {
        HttpResponse<String> response = send(request("/nowhere").GET());
        assertEquals(404, response.statusCode());
        assertEquals(Optional.of("application/problem+json"), response.headers().firstValue("content-type"));
        JsonNode problem = JSON.readTree(response.body());
        assertEquals("about:blank", problem.path("type").asText());
        assertEquals("Not Found", problem.path("title").asText());
        assertEquals(404, problem.path("status").asInt());
        assertTrue(problem.path("detail").asText().contains("GET /nowhere"), response.body());
    }

    @Test
    void knownPathWithAnotherMethodIsA405WithAllow() throws Exception {
        HttpResponse<String> response = send(request("/echo/1").DELETE());
        assertEquals(405, response.statusCode());
        assertEquals(Optional.of("GET, POST"), response.headers().firstValue("allow"));
        assertEquals(405, JSON.readTree(response.body()).path("status").asInt());
    }

    @Test
    void preflightFromTheStorefrontIsAllowed() throws Exception {
        APIGatewayV2HTTPEvent lastBefore = EchoHandler.LAST_EVENT.get();
        HttpResponse<String> response = send(request("/echo/1").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", STOREFRONT).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type"));
        assertEquals(204, response.statusCode());
        assertEquals(Optional.of(STOREFRONT), response.headers().firstValue("access-control-allow-origin"));
        assertEquals(Optional.of("GET,POST,OPTIONS"), response.headers().firstValue("access-control-allow-methods"));
        assertEquals(Optional.of("content-type"), response.headers().firstValue("access-control-allow-headers"));
        assertEquals(Optional.of("600"), response.headers().firstValue("access-control-max-age"));
        assertEquals(Optional.of("Origin"), response.headers().firstValue("vary"));
        assertSame(lastBefore, EchoHandler.LAST_EVENT.get(), "API Gateway answers preflights; the function never sees them");
    }

    @Test
    void preflightFromAnotherOriginGetsNoCorsHeaders() throws Exception {
        HttpResponse<String> response = send(request("/echo/1").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST"));
        assertEquals(204, response.statusCode());
        assertTrue(corsHeaders(response).isEmpty(), "got " + corsHeaders(response));
    }

    @Test
    void responsesCarryTheApisCorsHeadersNotTheFunctions() throws Exception {
        HttpResponse<String> allowed = send(request("/echo/1").GET().header("Origin", STOREFRONT));
        assertEquals(200, allowed.statusCode());
        assertEquals(List.of(STOREFRONT), allowed.headers().allValues("access-control-allow-origin"));
        assertEquals(Optional.of("Origin"), allowed.headers().firstValue("vary"));

        HttpResponse<String> other = send(request("/echo/1").GET().header("Origin", "https://evil.example"));
        assertEquals(200, other.statusCode());
        assertTrue(corsHeaders(other).isEmpty(), "the function's own '*' is dropped: " + corsHeaders(other));
    }

    @Test
    void handlerReceivesTheEventApiGatewaySends() throws Exception {
        long before = System.currentTimeMillis();
        HttpResponse<String> response = send(request("/echo/4%202?b=2&a=1&a=3&empty")
                .POST(HttpRequest.BodyPublishers.ofString("{\"ring\":52}"))
                .header("Content-Type", "application/json")
                .header("X-Custom", "one").header("X-Custom", "two")
                .header("Cookie", "a=1; b=2"));
        assertEquals(201, response.statusCode());

        APIGatewayV2HTTPEvent event = EchoHandler.LAST_EVENT.get();
        assertEquals("2.0", event.getVersion());
        assertEquals("POST /echo/{id}", event.getRouteKey());
        assertEquals("/echo/4%202", event.getRawPath());
        assertEquals("b=2&a=1&a=3&empty", event.getRawQueryString());
        assertEquals(Map.of("b", "2", "a", "1,3", "empty", ""), event.getQueryStringParameters());
        assertEquals(Map.of("id", "4 2"), event.getPathParameters());
        assertEquals(List.of("a=1", "b=2"), event.getCookies());
        assertFalse(event.getHeaders().containsKey("cookie"), "cookies move out of the headers");
        assertEquals("one,two", event.getHeaders().get("x-custom"));
        assertEquals("application/json", event.getHeaders().get("content-type"));
        assertEquals("http", event.getHeaders().get("x-forwarded-proto"));
        assertEquals("127.0.0.1", event.getHeaders().get("x-forwarded-for"));
        assertEquals("localhost:" + server.port(), event.getHeaders().get("host"));
        assertTrue(event.getHeaders().keySet().stream().allMatch(h -> h.equals(h.toLowerCase())), "lower-case names");
        assertEquals("{\"ring\":52}", event.getBody());
        assertFalse(event.getIsBase64Encoded());

        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        assertEquals("000000000000", context.getAccountId());
        assertEquals("local", context.getApiId());
        assertEquals("localhost:" + server.port(), context.getDomainName());
        assertEquals("localhost", context.getDomainPrefix());
        assertEquals("POST /echo/{id}", context.getRouteKey());
        assertEquals("$default", context.getStage());
        assertEquals("POST", context.getHttp().getMethod());
        assertEquals("/echo/4%202", context.getHttp().getPath());
        assertEquals("HTTP/1.1", context.getHttp().getProtocol());
        assertEquals("127.0.0.1", context.getHttp().getSourceIp());
        assertTrue(context.getHttp().getUserAgent().startsWith("Java-http-client"), context.getHttp().getUserAgent());
        assertFalse(context.getRequestId().isBlank());
        assertTrue(context.getTimeEpoch() >= before && context.getTimeEpoch() <= System.currentTimeMillis());
        assertTrue(context.getTime().matches("\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000"), context.getTime());
        assertEquals("FixtureEchoFunction", EchoHandler.FUNCTION_NAME.get());
    }

    @Test
    void aRequestWithoutQueryCookiesOrBodyHasNullsWhereApiGatewayHasThem() throws Exception {
        send(request("/echo/7").GET());
        APIGatewayV2HTTPEvent event = EchoHandler.LAST_EVENT.get();
        assertEquals("", event.getRawQueryString());
        assertNull(event.getQueryStringParameters());
        assertNull(event.getCookies());
        assertNull(event.getBody());
        assertFalse(event.getIsBase64Encoded());
    }

    @Test
    void binaryBodiesArriveBase64Encoded() throws Exception {
        byte[] image = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff};
        send(request("/echo/1").POST(HttpRequest.BodyPublishers.ofByteArray(image)).header("Content-Type", "image/png"));
        APIGatewayV2HTTPEvent event = EchoHandler.LAST_EVENT.get();
        assertTrue(event.getIsBase64Encoded());
        assertArrayEquals(image, Base64.getDecoder().decode(event.getBody()));
    }

    @Test
    void theResponseCarriesStatusHeadersCookiesAndBody() throws Exception {
        HttpResponse<String> response = send(request("/echo/1").GET());
        assertEquals(200, response.statusCode());
        assertEquals("hello from us-east-1, GET /echo/{id}", response.body(), "environment resolved from the template");
        assertEquals(Optional.of("text/plain; charset=utf-8"), response.headers().firstValue("content-type"));
        assertEquals(List.of("a", "b"), response.headers().allValues("x-multi"));
        assertEquals(List.of("session=abc; Path=/; HttpOnly", "theme=dark"), response.headers().allValues("set-cookie"));
    }

    @Test
    void aBase64ResponseIsDecodedAndGreedyPathsBind() throws Exception {
        HttpResponse<byte[]> response = HTTP.send(request("/files/rings/gold/1.png").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertArrayEquals(EchoHandler.BINARY, response.body());
        assertEquals(Map.of("proxy", "rings/gold/1.png"), EchoHandler.LAST_EVENT.get().getPathParameters());
    }

    @Test
    void aLiteralRouteWinsOverAPathParameter() throws Exception {
        assertEquals("hello from us-east-1, GET /echo/fixed", send(request("/echo/fixed").GET()).body());
    }

    @Test
    void theHandlerIsCreatedOnceWithItsLocalEnvironment() throws Exception {
        send(request("/echo/1").GET());
        send(request("/echo/2").GET());
        assertEquals(1, EchoHandler.INSTANCES.get());
        Map<String, String> env = EchoHandler.ENVIRONMENT.get();
        assertEquals("FixtureWorkQueue", env.get("WORK_QUEUE"));
        assertEquals(aws.endpoint(Service.DYNAMODB).toString(), env.get("AWS_ENDPOINT_URL_DYNAMODB"));
        assertFalse(env.containsKey("JAVA_TOOL_OPTIONS"));
    }

    @Test
    void aThrowingHandlerGivesA500Problem() throws Exception {
        HttpResponse<String> response = send(request("/boom").GET().header("Origin", STOREFRONT));
        assertEquals(500, response.statusCode());
        assertEquals(Optional.of("application/problem+json"), response.headers().firstValue("content-type"));
        JsonNode problem = JSON.readTree(response.body());
        assertEquals("Internal Server Error", problem.path("title").asText());
        assertTrue(problem.path("detail").asText().contains("FixtureFailingFunction"), response.body());
        assertFalse(response.body().contains("on purpose"), "the exception's message stays in the log");
        assertEquals(Optional.of(STOREFRONT), response.headers().firstValue("access-control-allow-origin"),
                "a browser must be able to read the error");
    }

    @Test
    void localIndexListsTheRoutes() throws Exception {
        HttpResponse<String> response = send(request("/_local/").GET());
        assertEquals(200, response.statusCode());
        JsonNode index = JSON.readTree(response.body());
        List<String> routes = JSON.convertValue(index.path("routes"), List.class);
        assertTrue(routes.containsAll(List.of("GET /echo/{id}", "POST /echo/{id}", "GET /files/{proxy+}", "ANY /boom")),
                response.body());
        assertEquals(aws.mailbox().webUrl().toString(), index.path("mailbox").asText());
    }

    private static HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + pathAndQuery));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, List<String>> corsHeaders(HttpResponse<?> response) {
        return response.headers().map().entrySet().stream()
                .filter(e -> e.getKey().toLowerCase().startsWith("access-control-"))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
