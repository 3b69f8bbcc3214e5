package shop.core.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import shop.core.json.Json;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Signed JSON calls to one AWS API, for the services a function calls with one or two
 * operations (SES SendEmail, SQS SendMessage, SSM GetParameter). Their generated SDK clients
 * would put thousands of model classes into the jar and load hundreds at cold start for that;
 * this uses what those clients use underneath: the SDK's HTTP client, its SigV4 signer and the
 * credentials provider, with the SDK's standard retries ({@link SignedCalls}).
 *
 * <p>Like the SDK's clients it reads the global interceptors that the classpath registers in
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}; those that are also an
 * {@link Observer} hear of every call. No deployed jar has that file: bench/ adds one to count
 * the AWS calls of each flow.
 */
public final class AwsJsonClient {

    /** Told of every call made, with its request and how it ended: 200 for any success, the error status, or 0 when no answer came. */
    public interface Observer {
        void called(String service, String operation, JsonNode request, int statusCode);
    }

    private final String service;
    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final String region;
    private final String signingName;
    private final URI endpoint;
    private final Clock clock;
    private final Map<String, String> serviceHeaders;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final List<Observer> observers = SignedCalls.observers(AwsJsonClient.class.getClassLoader());

    AwsJsonClient(String service, SdkHttpClient http, AwsCredentialsProvider credentials, String region,
                  String signingName, URI endpoint, Clock clock, Map<String, String> serviceHeaders) {
        this.service = service;
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        this.signingName = signingName;
        this.endpoint = endpoint;
        this.clock = clock;
        this.serviceHeaders = Map.copyOf(serviceHeaders);
    }

    /** A REST-JSON operation (SES v2): POST {@code path} with a JSON body. */
    public JsonNode post(String operation, String path, Object body) {
        return send(operation, path, Map.of("Content-Type", "application/json"), body);
    }

    /** An AWS JSON protocol operation (SQS: version 1.0, SSM: 1.1): POST / with X-Amz-Target. */
    public JsonNode call(String jsonVersion, String target, Object body) {
        return send(target.substring(target.indexOf('.') + 1), "/",
                Map.of("Content-Type", "application/x-amz-json-" + jsonVersion, "X-Amz-Target", target), body);
    }

    private JsonNode send(String operation, String path, Map<String, String> headers, Object body) {
        byte[] payload = Json.bytes(body);
        int status = 0;
        try {
            JsonNode answer = SignedCalls.withRetries(service + " " + operation, () -> {
                HttpExecuteResponse response = exchange(path, headers, payload);
                byte[] content = SignedCalls.body(response);
                int code = response.httpResponse().statusCode();
                if (code / 100 != 2) {
                    throw error(service + " " + operation, code, response.httpResponse(), content);
                }
                return content.length == 0 ? Json.object() : Json.mapper().readTree(content);
            });
            status = 200;
            return answer;
        } catch (AwsApiException e) {
            status = e.statusCode();
            throw e;
        } finally {
            if (!observers.isEmpty()) {
                SignedCalls.tell(observers, service, operation, Json.mapper().valueToTree(body), status);
            }
        }
    }

    private HttpExecuteResponse exchange(String path, Map<String, String> headers, byte[] payload) throws IOException {
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint.resolve(path))
                .putHeader("Content-Length", Integer.toString(payload.length));
        headers.forEach(request::putHeader);
        serviceHeaders.forEach(request::putHeader);
        SdkHttpRequest unsigned = request.build();
        SignedRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials())
                .request(unsigned)
                .payload(ContentStreamProvider.fromByteArrayUnsafe(payload))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signingName)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        return http.prepareRequest(HttpExecuteRequest.builder()
                .request(signed.request())
                .contentStreamProvider(signed.payload().orElse(null))
                .build()).call();
    }

    /**
     * The error code from where each protocol puts it, as the generated clients read it: the
     * x-amzn-query-error header ("Code;Fault") of a service asked for its query API's codes (SQS),
     * the x-amzn-ErrorType header (REST-JSON, "Code:uri"), or {@code __type} in the body (JSON
     * 1.0/1.1, "namespace#Code").
     */
    private static AwsApiException error(String operation, int status, SdkHttpResponse response, byte[] body) {
        JsonNode json;
        try {
            json = body.length == 0 ? Json.object() : Json.mapper().readTree(body);
        } catch (IOException | RuntimeException notJson) {
            json = Json.object();
        }
        String queryError = response.firstMatchingHeader("x-amzn-query-error").orElse("");
        String code = queryError.indexOf(';') > 0 ? queryError.substring(0, queryError.indexOf(';'))
                : response.firstMatchingHeader("x-amzn-ErrorType")
                        .orElse(json.path("__type").asText(json.path("code").asText("")));
        code = code.substring(code.lastIndexOf('#') + 1);
        code = code.contains(":") ? code.substring(0, code.indexOf(':')) : code;
        String message = json.path("message").asText(json.path("Message").asText(""));
        return new AwsApiException(operation, status, code.isEmpty() ? "HTTP" + status : code, message, null);
    }

    @Override
    public String toString() {
        return "AwsJsonClient[" + service + " at " + endpoint + "]";
    }
}
