package shop.core.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
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
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Builds every SDK client a function uses, from its {@link Env}: the generated SDK v2 clients on
 * one HTTP client (url-connection; netty and apache are excluded from the build), an explicit
 * region and an explicit credentials provider, so nothing is discovered by probing at cold start,
 * and the endpoint of AWS_ENDPOINT_URL_&lt;SERVICE&gt; or AWS_ENDPOINT_URL where one is set (the
 * SDK's own convention, read from the {@link Env} so that tests can point one client at a
 * stand-in). A function's wiring calls each method once, from its handler's no-arg constructor.
 *
 * <p>The SES, S3, SQS and SSM artifacts are optional dependencies of shop-core: a function that
 * calls one of those services declares it in its own pom, so the others' jars do not carry it.
 */
public final class AwsClients {
    private final Env env;
    private final SdkHttpClient httpClient;
    private final Region region;
    private final AwsCredentialsProvider credentials;

    public AwsClients(Env env) {
        this.env = env;
        this.httpClient = UrlConnectionHttpClient.builder().build();
        this.region = Region.of(env.require("AWS_REGION"));
        this.credentials = credentialsFrom(env);
    }

    public DynamoDbClient dynamo() {
        return build(DynamoDbClient.builder().overrideConfiguration(o -> o.retryStrategy(dynamoRetries())), "DYNAMODB");
    }

    /**
     * The SDK's standard retries (throttling, 5xx and I/O errors; a token bucket that stops
     * retrying while DynamoDB keeps failing), bounded for a function someone is waiting on: 4
     * attempts, at most 0.7 s of backoff when throttled (full jitter on 100, 200, 400 ms), where
     * the SDK's default for DynamoDB makes up to 9 attempts and can wait longer than API
     * Gateway's 30 s. A write that met another transaction on the same item (a single-item
     * write refused with TransactionConflictException, or a transaction cancelled only by such
     * a conflict) is retried the same way: nothing was written, and DynamoDB asks for a retry;
     * the SDK does not count either as retryable by itself. What still fails answers 503 with
     * Retry-After ({@link shop.core.http.ApiResponses#error}), the webhook's 5xx makes Stripe
     * retry, and a queue message is received again. One per client, as the token bucket is per
     * client.
     */
    static RetryStrategy dynamoRetries() {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .retryOnException(AwsFailures::transactionConflict)
                .maxAttempts(4)
                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(25), Duration.ofMillis(250)))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(1)))
                .build();
    }

    /** SES v2, for {@link shop.core.mail.SesMailer}. */
    public SesV2Client ses() {
        return build(SesV2Client.builder().overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)), "SESV2");
    }

    /** SQS, for sending messages. */
    public SqsClient sqs() {
        return build(SqsClient.builder().overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)), "SQS");
    }

    /** SSM Parameter Store, for {@link shop.core.aws.SsmSecureParameters}. */
    public SsmClient ssm() {
        return build(SsmClient.builder().overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)), "SSM");
    }

    /** S3: virtual-hosted addressing on AWS; path-style at an endpoint override (see {@link #s3Configuration}). */
    public S3Client s3() {
        return build(S3Client.builder().serviceConfiguration(s3Configuration())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)), "S3");
    }

    /** Presigned S3 URLs, made offline with the credentials, region and addressing {@link #s3()} uses. */
    public S3Presigner s3Presigner() {
        var builder = S3Presigner.builder().region(region).credentialsProvider(credentials)
                .serviceConfiguration(s3Configuration());
        endpointFor("S3").ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * A generated SDK client on the shared HTTP client, region, credentials and endpoint override.
     * Every service but DynamoDB gets the SDK's STANDARD retry mode: up to 3 attempts, on
     * throttling, 5xx answers and I/O errors, with full-jitter exponential backoff (base 100 ms,
     * 1 s when throttled, at most 20 s), and a per-client token bucket that stops retrying while
     * a service keeps failing. (The SDK's default without it is the legacy mode.) Public for the
     * services one function alone calls (Cognito, for staff management), so that shop-core need
     * not carry their models: {@code aws.build(CognitoIdentityProviderClient.builder(), "COGNITO_IDENTITY_PROVIDER")}.
     */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, String serviceId) {
        builder.httpClient(httpClient).region(region).credentialsProvider(credentials);
        endpointFor(serviceId).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * AWS's own S3 wants virtual-hosted addressing. At an endpoint override (s3rver, LocalStack)
     * path-style addressing, and a plain upload body: over http the SDK would otherwise send
     * its chunked, signed framing, which s3rver stores verbatim.
     */
    private S3Configuration s3Configuration() {
        boolean local = endpointFor("S3").isPresent();
        return S3Configuration.builder().pathStyleAccessEnabled(local).chunkedEncodingEnabled(!local).build();
    }

    /** The SDK's own convention: AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL. */
    private Optional<URI> endpointFor(String serviceId) {
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
