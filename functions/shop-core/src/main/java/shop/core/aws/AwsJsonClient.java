package shop.core.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import shop.core.json.Json;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Signed JSON calls to one AWS API, for the services a function calls with one or two
 * operations (SES SendEmail, SQS SendMessage, SSM GetParameter). Their generated SDK clients
 * would put thousands of model classes into the jar and load hundreds at cold start for that;
 * this uses what those clients use underneath: the SDK's HTTP client, its SigV4 signer and the
 * credentials provider. Retries follow the SDK's standard mode: three attempts, exponential
 * backoff with jitter, on throttling, 5xx and I/O errors.
 *
 * <p>Like the SDK's clients it reads the global interceptors that the classpath registers in
 * {@value #GLOBAL_INTERCEPTORS}; those that are also an {@link Observer} hear of every call.
 * No deployed jar has that file: bench/ adds one to count the AWS calls of each flow.
 */
public final class AwsJsonClient {
    static final String GLOBAL_INTERCEPTORS = "software/amazon/awssdk/global/handlers/execution.interceptors";

    /** Told of every call made, with its request and the final status (0 when none came). */
    public interface Observer {
        void called(String service, String operation, JsonNode request, int statusCode);
    }

    private static final int MAX_ATTEMPTS = 3;
    private static final Duration BASE_DELAY = Duration.ofMillis(100);
    private static final Set<String> THROTTLING = Set.of("Throttling", "ThrottlingException", "ThrottledException",
            "TooManyRequestsException", "RequestThrottled", "RequestLimitExceeded", "SlowDown");

    private final String service;
    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final String region;
    private final String signingName;
    private final URI endpoint;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final List<Observer> observers = observers(AwsJsonClient.class.getClassLoader());

    AwsJsonClient(String service, SdkHttpClient http, AwsCredentialsProvider credentials, String region,
                  String signingName, URI endpoint) {
        this.service = service;
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        this.signingName = signingName;
        this.endpoint = endpoint;
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
        int status = 0;
        try {
            Answer answer = attempts(operation, path, headers, Json.bytes(body));
            status = answer.status();
            return answer.body();
        } catch (AwsApiException e) {
            status = e.statusCode();
            throw e;
        } finally {
            for (Observer observer : observers) {
                observer.called(service, operation, Json.mapper().valueToTree(body), status);
            }
        }
    }

    private record Answer(int status, JsonNode body) {
    }

    private Answer attempts(String operation, String path, Map<String, String> headers, byte[] payload) {
        String name = service + " " + operation;
        for (int attempt = 1; ; attempt++) {
            AwsApiException failure;
            try {
                HttpExecuteResponse response = exchange(path, headers, payload);
                byte[] answer = read(response);
                int status = response.httpResponse().statusCode();
                if (status / 100 == 2) {
                    return new Answer(status, answer.length == 0 ? Json.object() : Json.mapper().readTree(answer));
                }
                failure = error(name, status, response.httpResponse().firstMatchingHeader("x-amzn-ErrorType").orElse(null),
                        answer);
                if (!(status == 429 || status >= 500 || THROTTLING.contains(failure.errorCode()))) {
                    throw failure;
                }
            } catch (IOException e) {
                failure = new AwsApiException(name, 0, e.getClass().getSimpleName(), e.getMessage(), e);
            }
            if (attempt == MAX_ATTEMPTS || !pause(attempt)) {
                throw failure;
            }
        }
    }

    private HttpExecuteResponse exchange(String path, Map<String, String> headers, byte[] payload) throws IOException {
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint.resolve(path))
                .putHeader("Content-Length", Integer.toString(payload.length));
        headers.forEach(request::putHeader);
        SdkHttpRequest unsigned = request.build();
        SignedRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials())
                .request(unsigned)
                .payload(ContentStreamProvider.fromByteArrayUnsafe(payload))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signingName)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        return http.prepareRequest(HttpExecuteRequest.builder()
                .request(signed.request())
                .contentStreamProvider(signed.payload().orElse(null))
                .build()).call();
    }

    /** As the SDK finds its global interceptors; none at all in a deployed jar. */
    private static List<Observer> observers(ClassLoader loader) {
        List<Observer> observers = new ArrayList<>();
        try {
            for (URL file : Collections.list(loader.getResources(GLOBAL_INTERCEPTORS))) {
                try (InputStream in = file.openStream()) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                        String name = line.strip();
                        if (!name.isEmpty() && !name.startsWith("#")
                                && Class.forName(name, true, loader).getConstructor().newInstance() instanceof Observer o) {
                            observers.add(o);
                        }
                    }
                }
            }
        } catch (IOException | ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot load the interceptors named in " + GLOBAL_INTERCEPTORS, e);
        }
        return List.copyOf(observers);
    }

    private static byte[] read(HttpExecuteResponse response) throws IOException {
        if (response.responseBody().isEmpty()) {
            return new byte[0];
        }
        try (InputStream body = response.responseBody().get()) {
            return body.readAllBytes();
        }
    }

    /**
     * The error code from where each protocol puts it: the x-amzn-ErrorType header (REST-JSON,
     * "Code:uri"), or {@code __type} in the body (JSON 1.0/1.1, "namespace#Code").
     */
    private static AwsApiException error(String operation, int status, String errorType, byte[] body) {
        JsonNode json;
        try {
            json = body.length == 0 ? Json.object() : Json.mapper().readTree(body);
        } catch (IOException | RuntimeException notJson) {
            json = Json.object();
        }
        String code = errorType != null ? errorType : json.path("__type").asText(json.path("code").asText(""));
        code = code.substring(code.lastIndexOf('#') + 1);
        code = code.contains(":") ? code.substring(0, code.indexOf(':')) : code;
        String message = json.path("message").asText(json.path("Message").asText(""));
        return new AwsApiException(operation, status, code.isEmpty() ? "HTTP" + status : code, message, null);
    }

    /** Full jitter, as the SDK does; false when interrupted, so the caller stops retrying. */
    private static boolean pause(int attempt) {
        long ceiling = BASE_DELAY.toMillis() << (attempt - 1);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return "AwsJsonClient[" + service + " at " + endpoint + "]";
    }
}
