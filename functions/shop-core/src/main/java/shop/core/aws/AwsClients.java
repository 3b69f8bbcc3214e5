package shop.core.aws;

import java.net.URI;
import java.util.Locale;
import shop.core.config.Env;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * Builds every SDK client a function uses, once, from its {@link Env}: one HTTP client
 * (url-connection; netty and apache are excluded from the build), an explicit region and an
 * explicit credentials provider, so nothing is discovered by probing at cold start.
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
        return build(DynamoDbClient.builder(), "DYNAMODB");
    }

    public SesV2Client ses() {
        return build(SesV2Client.builder(), "SESV2");
    }

    /** For clients of services that only some functions use (S3, SQS...). */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, String serviceId) {
        builder.httpClient(httpClient).region(region).credentialsProvider(credentials);
        endpointFor(serviceId).ifPresent(builder::endpointOverride);
        return builder.build();
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
