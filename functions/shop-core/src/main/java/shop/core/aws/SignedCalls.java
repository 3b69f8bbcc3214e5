package shop.core.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.http.HttpExecuteResponse;

/**
 * What the calls shop-core signs itself ({@link AwsJsonClient}, {@link S3Objects}) share with
 * the SDK's clients: its standard retry mode (three attempts, exponential backoff with full
 * jitter, on the SDK's throttling and transient error codes, 429, 500, 502-504 and I/O errors),
 * and the global interceptors file, whose {@link AwsJsonClient.Observer}s hear of every call.
 */
final class SignedCalls {
    static final String GLOBAL_INTERCEPTORS = "software/amazon/awssdk/global/handlers/execution.interceptors";
    private static final int MAX_ATTEMPTS = 3;
    private static final Duration BASE_DELAY = Duration.ofMillis(100);
    /** As the SDK's: AwsWireConformanceTest.retriesWhatTheGeneratedClientRetries. */
    private static final Set<Integer> RETRYABLE_STATUS = Set.of(429, 500, 502, 503, 504);
    private static final Set<String> RETRYABLE = Set.of("Throttling", "ThrottlingException", "ThrottledException",
            "ProvisionedThroughputExceededException", "SlowDown", "TooManyRequestsException", "RequestLimitExceeded",
            "BandwidthLimitExceeded", "RequestThrottled", "RequestThrottledException", "EC2ThrottledException",
            "TransactionInProgressException", "PriorRequestNotComplete", "RequestTimeout", "RequestTimeoutException",
            "InternalError");

    private SignedCalls() {
    }

    /** One attempt: the answer, or an {@link AwsApiException} for an error answer. */
    interface Attempt<T> {
        T run() throws IOException;
    }

    static <T> T withRetries(String operation, Attempt<T> attempt) {
        for (int number = 1; ; number++) {
            AwsApiException failure;
            try {
                return attempt.run();
            } catch (AwsApiException e) {
                if (!retryable(e)) {
                    throw e;
                }
                failure = e;
            } catch (IOException e) {
                failure = new AwsApiException(operation, 0, e.getClass().getSimpleName(), e.getMessage(), e);
            }
            if (number == MAX_ATTEMPTS || !pause(number)) {
                throw failure;
            }
        }
    }

    /** What the SDK's standard retry mode retries: its throttling and transient codes and statuses. */
    static boolean retryable(AwsApiException e) {
        return RETRYABLE_STATUS.contains(e.statusCode()) || RETRYABLE.contains(e.errorCode());
    }

    static byte[] body(HttpExecuteResponse response) throws IOException {
        if (response.responseBody().isEmpty()) {
            return new byte[0];
        }
        try (InputStream body = response.responseBody().get()) {
            return body.readAllBytes();
        }
    }

    static void tell(List<AwsJsonClient.Observer> observers, String service, String operation, JsonNode request, int status) {
        for (AwsJsonClient.Observer observer : observers) {
            observer.called(service, operation, request, status);
        }
    }

    /** As the SDK finds its global interceptors; none at all in a deployed jar. */
    static List<AwsJsonClient.Observer> observers(ClassLoader loader) {
        List<AwsJsonClient.Observer> observers = new ArrayList<>();
        try {
            for (URL file : Collections.list(loader.getResources(GLOBAL_INTERCEPTORS))) {
                try (InputStream in = file.openStream()) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                        String name = line.strip();
                        if (!name.isEmpty() && !name.startsWith("#")
                                && Class.forName(name, true, loader).getConstructor().newInstance()
                                        instanceof AwsJsonClient.Observer observer) {
                            observers.add(observer);
                        }
                    }
                }
            }
        } catch (IOException | ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot load the interceptors named in " + GLOBAL_INTERCEPTORS, e);
        }
        return List.copyOf(observers);
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
}
