package shop.core.aws;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import shop.core.config.Env;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds every SDK client a function uses, once, from its {@link Env}: one HTTP client
 * (url-connection; netty and apache are excluded from the build), an explicit region and an
 * explicit credentials provider, so nothing is discovered by probing at cold start. DynamoDB
 * gets its generated client; services a function calls once or twice get an {@link AwsJsonClient}
 * (SES, SQS, SSM) or {@link S3Objects}.
 */
public final class AwsClients {
    private final Env env;
    private final SdkHttpClient httpClient;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final Clock clock;

    public AwsClients(Env env) {
        this(env, UrlConnectionHttpClient.builder().build(), Clock.systemUTC());
    }

    /** With the HTTP client and signing clock a test chooses (AwsWireConformanceTest). */
    AwsClients(Env env, SdkHttpClient httpClient, Clock clock) {
        this.env = env;
        this.httpClient = httpClient;
        this.region = Region.of(env.require("AWS_REGION"));
        this.credentials = credentialsFrom(env);
        this.clock = clock;
    }

    public DynamoDbClient dynamo() {
        return build(DynamoDbClient.builder().overrideConfiguration(o -> o.retryStrategy(dynamoRetries())), "DYNAMODB");
    }

    /**
     * The SDK's standard retries (throttling, 5xx and I/O errors; a token bucket that stops
     * retrying while DynamoDB keeps failing), bounded for a function someone is waiting on: 4
     * attempts, at most 0.7 s of backoff when throttled (full jitter on 100, 200, 400 ms), where
     * the SDK's default for DynamoDB makes up to 9 attempts and can wait longer than API
     * Gateway's 30 s. What still fails answers 503 with Retry-After
     * ({@link shop.core.http.ApiResponses#error}), the webhook's 5xx makes Stripe retry, and a
     * queue message is received again. One per client, as the token bucket is per client.
     */
    static RetryStrategy dynamoRetries() {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(4)
                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(25), Duration.ofMillis(250)))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(1)))
                .build();
    }

    /** SES v2, for {@link shop.core.mail.SesMailer}. */
    public AwsJsonClient ses() {
        return json("SESV2", "ses", "email");
    }

    /**
     * SQS, for sending messages. Like its generated client it sends x-amzn-query-mode, so that
     * errors carry the codes of SQS's older query API (AWS.SimpleQueueService.NonExistentQueue).
     */
    public AwsJsonClient sqs() {
        return json("SQS", "sqs", "sqs", Map.of("x-amzn-query-mode", "true"));
    }

    /** The objects of one S3 bucket, through {@link S3Objects} rather than the S3 client. */
    public S3Objects s3(String bucket) {
        return new S3Objects(httpClient, credentials, region.id(), domain(), endpointFor("S3").orElse(null), bucket,
                clock);
    }

    /** A SecureString parameter of SSM Parameter Store, decrypted: one GetParameter call. */
    public String secureParameter(String name) {
        return json("SSM", "ssm", "ssm")
                .call("1.1", "AmazonSSM.GetParameter", Map.of("Name", name, "WithDecryption", true))
                .path("Parameter").path("Value").asText(null);
    }

    /**
     * A service called through {@link AwsJsonClient} rather than its generated client: the
     * endpoint from AWS_ENDPOINT_URL_{@code serviceId} or AWS_ENDPOINT_URL, else
     * {@code https://<hostPrefix>.<region>.<the partition's domain>}.
     */
    public AwsJsonClient json(String serviceId, String signingName, String hostPrefix) {
        return json(serviceId, signingName, hostPrefix, Map.of());
    }

    private AwsJsonClient json(String serviceId, String signingName, String hostPrefix, Map<String, String> headers) {
        URI endpoint = endpointFor(serviceId).orElseGet(() -> URI.create("https://" + hostPrefix + "." + region.id()
                + "." + domain()));
        return new AwsJsonClient(serviceId, httpClient, credentials, region.id(), signingName, endpoint, clock, headers);
    }

    /** A generated SDK client of another service, should a function need one, built as DynamoDB's is. */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, String serviceId) {
        builder.httpClient(httpClient).region(region).credentialsProvider(credentials);
        endpointFor(serviceId).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** amazonaws.com, or the domain of the region's partition (amazonaws.com.cn...). */
    private String domain() {
        return region.metadata() == null ? "amazonaws.com" : region.metadata().domain();
    }

    /** The SDK's own convention: AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL. */
    private java.util.Optional<URI> endpointFor(String serviceId) {
        return env.optional("AWS_ENDPOINT_URL_" + serviceId.toUpperCase(Locale.ROOT))
                .or(() -> env.optional("AWS_ENDPOINT_URL"))
                .map(URI::create);
    }

    /**
     * Lambda with SnapStart hands out credentials through the container endpoint so that they
     * refresh after a restore; without SnapStart (and locally) they are plain variables.
     */
    private static AwsCredentialsProvider credentialsFrom(Env env) {
        if (env.optional("AWS_CONTAINER_CREDENTIALS_FULL_URI").isPresent()) {
            return ContainerCredentialsProvider.builder().build();
        }
        var keyId = env.optional("AWS_ACCESS_KEY_ID");
        var secret = env.optional("AWS_SECRET_ACCESS_KEY");
        if (keyId.isPresent() && secret.isPresent()) {
            var token = env.optional("AWS_SESSION_TOKEN");
            return StaticCredentialsProvider.create(token.isPresent()
                    ? AwsSessionCredentials.create(keyId.get(), secret.get(), token.get())
                    : AwsBasicCredentials.create(keyId.get(), secret.get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
