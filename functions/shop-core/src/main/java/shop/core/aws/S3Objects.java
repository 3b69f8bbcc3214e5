package shop.core.aws;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import shop.core.json.Json;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * The objects of one S3 bucket: put, delete, and shared through a presigned GET URL. The S3 SDK
 * client would put 2,300 classes into the jar for these three; this signs them with the SDK's
 * SigV4 signer as that client does (service "s3", no double encoding or path normalisation, a
 * signed payload for a put, a query-string signature for presigning) and sends them with its HTTP client,
 * with the SDK's standard retries. Virtual-hosted addressing on AWS; path-style at an endpoint
 * override (s3rver, LocalStack), as those want.
 */
public final class S3Objects {
    private static final Pattern ERROR_CODE = Pattern.compile("<Code>([^<]+)</Code>");
    private static final Pattern ERROR_MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final String region;
    private final URI bucketBase;
    private final boolean pathStyle;
    private final Clock clock;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final List<AwsJsonClient.Observer> observers = SignedCalls.observers(S3Objects.class.getClassLoader());

    /** {@code endpoint}: the S3 endpoint (path-style, an override) or null for AWS's virtual-hosted one. */
    S3Objects(SdkHttpClient http, AwsCredentialsProvider credentials, String region, String domain, URI endpoint,
              String bucket, Clock clock) {
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        this.pathStyle = endpoint != null;
        this.bucketBase = pathStyle
                ? URI.create(endpoint.toString().replaceAll("/+$", "") + "/" + bucket)
                : URI.create("https://" + bucket + ".s3." + region + "." + domain);
        this.clock = clock;
    }

    /**
     * With the CRC32 checksum the S3 client adds by default (it sends it as an aws-chunked
     * trailer; a header is the same to S3), so the object carries one as the SDK's uploads do.
     */
    public void put(String key, byte[] content, String contentType) {
        CRC32 crc = new CRC32();
        crc.update(content);
        String checksum = Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        call("PutObject", key, () -> {
            var request = request(SdkHttpMethod.PUT, key).putHeader("Content-Type", contentType)
                    .putHeader("Content-Length", Integer.toString(content.length))
                    .putHeader("x-amz-sdk-checksum-algorithm", "CRC32")
                    .putHeader("x-amz-checksum-crc32", checksum).build();
            var signed = signer.sign(r -> signing(r, request).payload(ContentStreamProvider.fromByteArrayUnsafe(content))
                    .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true));
            return http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null)).build()).call();
        });
    }

    /**
     * S3 answers a delete of a key that does not exist with success too. There is no body to
     * sign: UNSIGNED-PAYLOAD, as the S3 client sends.
     */
    public void delete(String key) {
        call("DeleteObject", key, () -> {
            var request = request(SdkHttpMethod.DELETE, key).build();
            var signed = signer.sign(r -> signing(r, request)
                    .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));
            return http.prepareRequest(HttpExecuteRequest.builder().request(signed.request()).build()).call();
        });
    }

    /**
     * A URL that GETs the object for {@code validFor}, with nothing but the URL (as S3's own
     * presigner makes it); {@code contentDisposition} becomes the download's Content-Disposition.
     */
    public URI presignedGet(String key, Duration validFor, String contentDisposition) {
        var request = request(SdkHttpMethod.GET, key)
                .putRawQueryParameter("response-content-disposition", contentDisposition).build();
        var signed = signer.sign(r -> signing(r, request)
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, validFor));
        return signed.request().getUri();
    }

    private SdkHttpFullRequest.Builder request(SdkHttpMethod method, String key) {
        return SdkHttpFullRequest.builder().method(method).uri(bucketBase)
                .encodedPath(bucketBase.getRawPath() + "/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key));
    }

    private SignRequest.Builder<AwsCredentialsIdentity> signing(SignRequest.Builder<AwsCredentialsIdentity> builder,
                                                                SdkHttpFullRequest request) {
        return builder.identity(credentials.resolveCredentials()).request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock);
    }

    private void call(String operation, String key, SignedCalls.Attempt<HttpExecuteResponse> exchange) {
        int status = 0;
        try {
            SignedCalls.withRetries("S3 " + operation, () -> {
                HttpExecuteResponse response = exchange.run();
                byte[] body = SignedCalls.body(response);
                int code = response.httpResponse().statusCode();
                if (code / 100 != 2) {
                    String xml = new String(body, StandardCharsets.UTF_8);
                    Matcher error = ERROR_CODE.matcher(xml);
                    Matcher message = ERROR_MESSAGE.matcher(xml);
                    throw new AwsApiException("S3 " + operation, code, error.find() ? error.group(1) : "HTTP" + code,
                            message.find() ? message.group(1) : null, null);
                }
                return response;
            });
            status = 200;
        } catch (AwsApiException e) {
            status = e.statusCode();
            throw e;
        } finally {
            if (!observers.isEmpty()) {
                SignedCalls.tell(observers, "S3", operation, Json.object().put("Key", key), status);
            }
        }
    }

    @Override
    public String toString() {
        return "S3Objects[" + bucketBase + (pathStyle ? ", path-style" : "") + "]";
    }
}
