package shop.local.stack;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/** Builds SDK v2 clients for one endpoint, region and key pair, with the url-connection HTTP client. */
final class AwsClients {

    private final Region region;
    private final StaticCredentialsProvider credentials;

    AwsClients(String region, String accessKeyId, String secretAccessKey) {
        this.region = Region.of(region);
        this.credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
    }

    DynamoDbClient dynamo(URI endpoint, ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials)
                .overrideConfiguration(o -> List.of(interceptors).forEach(o::addExecutionInterceptor))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /**
     * s3rver needs path-style addressing, and stores the SDK's chunked, signed upload framing
     * verbatim, so chunked encoding is switched off.
     */
    S3Client s3(URI endpoint) {
        return S3Client.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(true).chunkedEncodingEnabled(false).build())
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    SqsClient sqs(URI endpoint) {
        return SqsClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    CognitoIdentityProviderClient cognito(URI endpoint) {
        return CognitoIdentityProviderClient.builder().endpointOverride(endpoint).region(region)
                .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    SsmClient ssm(URI endpoint) {
        return SsmClient.builder().endpointOverride(endpoint).region(region)
                .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** The SDK's default table waiter polls every 20 s; local tables are ready in milliseconds. */
    static DynamoDbWaiter fastWaiter(DynamoDbClient dynamo) {
        return DynamoDbWaiter.builder().client(dynamo)
                .overrideConfiguration(c -> c.backoffStrategyV2(BackoffStrategy.fixedDelay(Duration.ofMillis(50)))
                        .waitTimeout(Duration.ofSeconds(30)))
                .build();
    }
}
