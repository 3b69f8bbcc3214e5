package shop.core.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import shop.core.config.Env;
import shop.core.email.EmailAddress;
import shop.core.json.Json;
import shop.core.mail.Email;
import shop.core.mail.SesMailer;
import shop.core.aws.WireCapture.Answer;
import shop.core.aws.WireCapture.Request;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.MessageHeader;
import software.amazon.awssdk.services.sesv2.model.MessageRejectedException;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.RequestThrottledException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * Every call the functions make without a generated SDK client (SES SendEmail, SQS SendMessage,
 * SSM GetParameter, S3 PutObject, DeleteObject and a presigned GET) is made once through the
 * generated client and once through shop-core's own path, against one capturing server, with the
 * same keys, region and signing clock. The two must be the same request on the wire, both must
 * carry a signature that verifies independently ({@link SigV4Check}), and both must read the same
 * answer or AWS error the same way. The stand-ins check no signatures and SSM has none, so this is
 * what shows the hand-written calls are what AWS expects.
 */
class AwsWireConformanceTest {
    private static final String ACCESS_KEY = "AKIDEXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final String REGION = "eu-west-1";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-14T09:26:53Z"), ZoneOffset.UTC);
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET));
    /** Headers of the SDK's own machinery (invocation id, attempt count, its user agent), part of no API. */
    private static final Set<String> SDK_BOOKKEEPING = Set.of("amz-sdk-invocation-id", "amz-sdk-request", "user-agent",
            "accept", "connection");
    private static final String QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/shop-OrderNotificationQueue";
    private static final String BUCKET = "shop-exports";
    /** As keys come: "exports/<id>.json", the raw-mail prefix plus SES's message id; this one needs encoding. */
    private static final String KEY = "exports/a file+ü.json";

    private static WireCapture wire;
    private static SdkHttpClient http;
    private static AwsClients ours;
    private static SesV2Client ses;
    private static SqsClient sqs;
    private static SsmClient ssm;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        wire = new WireCapture();
        http = UrlConnectionHttpClient.create();
        ours = new AwsClients(Env.of(Map.of("AWS_REGION", REGION, "AWS_ACCESS_KEY_ID", ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", SECRET, "AWS_ENDPOINT_URL", wire.endpoint().toString())), http, CLOCK);
        ses = generated(SesV2Client.builder(), http, true);
        sqs = generated(SqsClient.builder(), http, true);
        ssm = generated(SsmClient.builder(), http, true);
        s3 = generated(S3Client.builder().forcePathStyle(true), http, true);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : List.<AutoCloseable>of(ses, sqs, ssm, s3, http, wire)) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing what a finished test used
            }
        }
    }

    // SES v2 SendEmail, as SesMailer sends every mail

    @Test
    void sesSendEmail() {
        Email email = new Email(new EmailAddress("marie@example.com"), "Ihre Bestellung – Nr. 1", "<p>Grüße</p>", "Grüße",
                Map.of("List-Unsubscribe", "<https://shop.example/u?t=1>", "List-Unsubscribe-Post", "List-Unsubscribe=One-Click"));
        List<MessageHeader> headers = new ArrayList<>();
        email.headers().forEach((name, value) -> headers.add(MessageHeader.builder().name(name).value(value).build()));
        Answer sent = Answer.of(200, "application/json", "{\"MessageId\":\"0102018e-5d1a-4c1b-9a1e-000000000000-000000\"}");

        var sdk = exchange(sent, () -> ses.sendEmail(b -> b.fromEmailAddress("shop@example.com")
                .destination(d -> d.toAddresses("marie@example.com"))
                .content(c -> c.simple(m -> m.subject(s -> s.data(email.subject()).charset("UTF-8"))
                        .body(body -> body.html(h -> h.data(email.html()).charset("UTF-8"))
                                .text(t -> t.data(email.text()).charset("UTF-8")))
                        .headers(headers)))
                .configurationSetName("MailConfigurationSet")).messageId());
        var mine = exchange(sent, () -> mailer().send(email));

        assertSameRequest(sdk, mine, "ses");
        assertEquals("/v2/email/outbound-emails", mine.request().rawPath());
        assertEquals(sdk.result(), mine.result());
    }

    @Test
    void sesErrors() {
        Email email = new Email(new EmailAddress("marie@example.com"), "Hallo", "<p>Hallo</p>", "Hallo", Map.of());
        Supplier<String> sdkCall = () -> ses.sendEmail(b -> b.fromEmailAddress("shop@example.com")
                .destination(d -> d.toAddresses("marie@example.com"))
                .content(c -> c.simple(m -> m.subject(s -> s.data("Hallo").charset("UTF-8"))
                        .body(body -> body.html(h -> h.data("<p>Hallo</p>").charset("UTF-8"))
                                .text(t -> t.data("Hallo").charset("UTF-8")))))
                .configurationSetName("MailConfigurationSet")).messageId();

        Answer rejected = Answer.of(400, "application/json",
                "{\"message\":\"Email address is not verified. The following identities failed the check in region "
                        + "EU-WEST-1: shop@example.com\"}",
                "x-amzn-ErrorType", "MessageRejected:http://internal.amazon.com/coral/com.amazonaws.sesv2/");
        assertSameError(exchange(rejected, sdkCall), exchange(rejected, () -> mailer().send(email)),
                MessageRejectedException.class);

        Answer throttled = Answer.of(429, "application/json", "{\"message\":\"Maximum sending rate exceeded.\"}",
                "x-amzn-ErrorType", "TooManyRequestsException:");
        assertSameError(exchange(throttled, sdkCall), exchange(throttled, () -> mailer().send(email)),
                TooManyRequestsException.class);
    }

    // SQS SendMessage, as SqsOrderEvents (stripe-webhook) queues each order message

    @Test
    void sqsSendMessage() {
        String message = "{\"type\":\"order.paid\",\"sessionId\":\"cs_test_a1\",\"note\":\"Grüße & <3\"}";
        Answer sent = Answer.of(200, "application/x-amz-json-1.0", Json.write(Map.of(
                "MD5OfMessageBody", md5(message), "MessageId", "5fea7756-0ea4-451a-a703-a558b933e274")));

        var sdk = exchange(sent, () -> sqs.sendMessage(b -> b.queueUrl(QUEUE_URL).messageBody(message)).messageId());
        var mine = exchange(sent, () -> sendMessage(message).path("MessageId").asText());

        assertSameRequest(sdk, mine, "sqs");
        assertEquals("AmazonSQS.SendMessage", mine.request().header("x-amz-target"));
        assertEquals("application/x-amz-json-1.0", mine.request().header("content-type"));
        assertEquals(sdk.result(), mine.result());
    }

    @Test
    void sqsErrors() {
        Supplier<String> sdkCall = () -> sqs.sendMessage(b -> b.queueUrl(QUEUE_URL).messageBody("{}")).messageId();
        Supplier<String> ourCall = () -> sendMessage("{}").path("MessageId").asText();

        Answer noQueue = Answer.of(400, "application/x-amz-json-1.0",
                "{\"__type\":\"com.amazonaws.sqs#QueueDoesNotExist\",\"message\":\"The specified queue does not exist.\"}",
                "x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender");
        assertSameError(exchange(noQueue, sdkCall), exchange(noQueue, ourCall), QueueDoesNotExistException.class);

        Answer throttled = Answer.of(400, "application/x-amz-json-1.0",
                "{\"__type\":\"com.amazonaws.sqs#RequestThrottled\",\"message\":\"Rate exceeded.\"}",
                "x-amzn-query-error", "RequestThrottled;Sender");
        assertSameError(exchange(throttled, sdkCall), exchange(throttled, ourCall), RequestThrottledException.class);
    }

    // SSM GetParameter, as AwsClients.secureParameter reads the Stripe keys

    @Test
    void ssmGetParameter() {
        Answer found = Answer.of(200, "application/x-amz-json-1.1", "{\"Parameter\":{"
                + "\"ARN\":\"arn:aws:ssm:eu-west-1:123456789012:parameter/shop/stripe/secret-key\",\"DataType\":\"text\","
                + "\"LastModifiedDate\":1.773480413E9,\"Name\":\"/shop/stripe/secret-key\",\"Type\":\"SecureString\","
                + "\"Value\":\"sk_test_51ExampleExampleExample\",\"Version\":3}}");

        var sdk = exchange(found, () -> ssm.getParameter(b -> b.name("/shop/stripe/secret-key").withDecryption(true))
                .parameter().value());
        var mine = exchange(found, () -> ours.secureParameter("/shop/stripe/secret-key"));

        assertSameRequest(sdk, mine, "ssm");
        assertEquals("AmazonSSM.GetParameter", mine.request().header("x-amz-target"));
        assertEquals("sk_test_51ExampleExampleExample", mine.result());
        assertEquals(sdk.result(), mine.result());
    }

    @Test
    void ssmErrors() {
        Supplier<String> sdkCall = () -> ssm.getParameter(b -> b.name("/shop/missing").withDecryption(true)).parameter().value();
        Supplier<String> ourCall = () -> ours.secureParameter("/shop/missing");

        Answer missing = Answer.of(400, "application/x-amz-json-1.1", "{\"__type\":\"ParameterNotFound\"}");
        assertSameError(exchange(missing, sdkCall), exchange(missing, ourCall), ParameterNotFoundException.class);

        Answer throttled = Answer.of(400, "application/x-amz-json-1.1",
                "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");
        assertSameError(exchange(throttled, sdkCall), exchange(throttled, ourCall), AwsServiceException.class);
    }

    /**
     * Both retry the same errors: the SDK's throttling and transient error codes and 5xx, nothing
     * else. Each error is followed by a success, so a retried call succeeds on its second attempt.
     */
    @Test
    void retriesWhatTheGeneratedClientRetries() {
        Supplier<String> sdkCall = () -> ssm.getParameter(b -> b.name("/shop/p").withDecryption(true)).parameter().value();
        Supplier<String> ourCall = () -> ours.secureParameter("/shop/p");
        Answer found = Answer.of(200, "application/x-amz-json-1.1", "{\"Parameter\":{\"Name\":\"/shop/p\",\"Value\":\"v\"}}");
        Map<String, Integer> errors = new LinkedHashMap<>();
        for (String code : List.of("Throttling", "ThrottlingException", "ThrottledException", "TooManyRequestsException",
                "ProvisionedThroughputExceededException", "SlowDown", "RequestLimitExceeded", "BandwidthLimitExceeded",
                "RequestThrottled", "RequestThrottledException", "EC2ThrottledException", "TransactionInProgressException",
                "PriorRequestNotComplete", "RequestTimeout", "RequestTimeoutException", "InternalError",
                "ParameterNotFound", "AccessDeniedException", "ValidationException", "UnrecognizedClientException")) {
            errors.put(code, 400);
        }
        errors.put("InternalServerError", 500);
        errors.put("NotImplemented", 501);
        errors.put("ServiceUnavailable", 503);
        errors.put("TooManyRequests", 429);
        errors.forEach((code, status) -> {
            var answers = List.of(Answer.of(status, "application/x-amz-json-1.1", "{\"__type\":\"" + code + "\"}"), found);
            var sdk = exchange(answers, sdkCall);
            var mine = exchange(answers, ourCall);
            assertEquals(sdk.requests().size(), mine.requests().size(), () -> code + ": attempts");
            if (sdk.error() == null) {
                assertNull(mine.error(), code);
                assertEquals(sdk.result(), mine.result(), code);
            } else {
                assertSameError(sdk, mine, AwsServiceException.class);
            }
        });
    }

    // S3 PutObject and DeleteObject, as S3ExportFiles and S3RawMail (privacy-requests) write and delete

    @Test
    void s3PutObject() {
        byte[] content = "{\"schema\":\"export-1\",\"name\":\"Zoë\"}".getBytes(StandardCharsets.UTF_8);
        Answer stored = Answer.of(200, null, "", "ETag", "\"" + HexFormat.of().formatHex(digest("MD5", content)) + "\"");

        var sdk = exchange(stored, () -> s3.putObject(b -> b.bucket(BUCKET).key(KEY).contentType("application/json; charset=utf-8"),
                RequestBody.fromBytes(content)).eTag());
        var mine = exchange(stored, () -> {
            ours.s3(BUCKET).put(KEY, content, "application/json; charset=utf-8");
            return sdk.result();
        });

        assertSameRequest(sdk, mine, "s3");
        assertArrayEquals(content, mine.request().body());
        assertEquals("/shop-exports/exports/a%20file%2B%C3%BC.json", mine.request().rawPath());
    }

    @Test
    void s3DeleteObject() {
        Answer deleted = Answer.of(204, null, "");

        var sdk = exchange(deleted, () -> s3.deleteObject(b -> b.bucket(BUCKET).key(KEY)).deleteMarker());
        var mine = exchange(deleted, () -> {
            ours.s3(BUCKET).delete(KEY);
            return sdk.result();
        });

        assertSameRequest(sdk, mine, "s3");
    }

    @Test
    void s3Errors() {
        Supplier<String> sdkCall = () -> s3.deleteObject(b -> b.bucket(BUCKET).key(KEY)).toString();
        Supplier<String> ourCall = () -> {
            ours.s3(BUCKET).delete(KEY);
            return "deleted";
        };

        Answer denied = Answer.of(403, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied"
                + "</Code><Message>Access Denied</Message><RequestId>4442587FB7D0A2F9</RequestId><HostId>x</HostId></Error>");
        assertSameError(exchange(denied, sdkCall), exchange(denied, ourCall), S3Exception.class);

        Answer slowDown = Answer.of(503, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown"
                + "</Code><Message>Please reduce your request rate.</Message><RequestId>1</RequestId></Error>");
        assertSameError(exchange(slowDown, sdkCall), exchange(slowDown, ourCall), S3Exception.class);
    }

    /** S3ObjectsTest compares the URL with the SDK presigner's; here S3 receives it and its signature verifies. */
    @Test
    void s3PresignedGetIsSignedForS3() throws Exception {
        URI url = ours.s3(BUCKET).presignedGet(KEY, Duration.ofMinutes(15), "attachment; filename=\"my-data.json\"");
        wire.answerWith(Answer.of(200, "application/json", "{}"));

        HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.discarding());

        Request get = wire.requests().get(0);
        assertEquals("GET", get.method());
        assertEquals("/shop-exports/exports/a%20file%2B%C3%BC.json", get.rawPath());
        assertTrue(get.rawQuery().contains("X-Amz-Expires=900"), get.rawQuery());
        assertEquals(REGION + "/s3", SigV4Check.of(get).region() + "/" + SigV4Check.of(get).service());
        SigV4Check.assertValid(get, ACCESS_KEY, SECRET, REGION, "s3");
    }

    /** Without an endpoint override each call goes to the host the generated client resolves for the region. */
    @Test
    void onAwsEachCallGoesWhereTheGeneratedClientSendsIt() {
        SdkHttpClient memory = wire.inMemoryClient();
        var onAws = new AwsClients(Env.of(Map.of("AWS_REGION", REGION, "AWS_ACCESS_KEY_ID", ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", SECRET)), memory, CLOCK);
        String message = "{}";
        Answer sqsSent = Answer.of(200, "application/x-amz-json-1.0",
                Json.write(Map.of("MD5OfMessageBody", md5(message), "MessageId", "1")));
        Answer json = Answer.of(200, "application/json", "{\"MessageId\":\"1\",\"Parameter\":{\"Value\":\"v\"}}");
        Answer empty = Answer.of(200, null, "");
        try (var awsSes = generated(SesV2Client.builder(), memory, false);
             var awsSqs = generated(SqsClient.builder(), memory, false);
             var awsSsm = generated(SsmClient.builder(), memory, false);
             var awsS3 = generated(S3Client.builder(), memory, false)) {
            Email email = new Email(new EmailAddress("marie@example.com"), "Hallo", "<p>Hallo</p>", "Hallo", Map.of());
            assertSameTarget("email.eu-west-1.amazonaws.com", "ses",
                    exchange(json, () -> awsSes.sendEmail(b -> b.fromEmailAddress("shop@example.com")
                            .destination(d -> d.toAddresses("marie@example.com"))
                            .content(c -> c.simple(m -> m.subject(s -> s.data("Hallo")))))),
                    exchange(json, () -> new SesMailer(onAws.ses(), "shop@example.com", null).send(email)));
            assertSameTarget("sqs.eu-west-1.amazonaws.com", "sqs",
                    exchange(sqsSent, () -> awsSqs.sendMessage(b -> b.queueUrl(QUEUE_URL).messageBody(message))),
                    exchange(sqsSent, () -> onAws.sqs().call("1.0", "AmazonSQS.SendMessage",
                            Map.of("QueueUrl", QUEUE_URL, "MessageBody", message))));
            assertSameTarget("ssm.eu-west-1.amazonaws.com", "ssm",
                    exchange(json, () -> awsSsm.getParameter(b -> b.name("/shop/p").withDecryption(true))),
                    exchange(json, () -> onAws.secureParameter("/shop/p")));
            assertSameTarget("shop-exports.s3.eu-west-1.amazonaws.com", "s3",
                    exchange(empty, () -> awsS3.deleteObject(b -> b.bucket(BUCKET).key(KEY))),
                    exchange(empty, () -> {
                        onAws.s3(BUCKET).delete(KEY);
                        return null;
                    }));
            var sdkPut = exchange(empty, () -> awsS3.putObject(b -> b.bucket(BUCKET).key(KEY), RequestBody.fromString("{}")));
            var ourPut = exchange(empty, () -> {
                onAws.s3(BUCKET).put(KEY, "{}".getBytes(StandardCharsets.UTF_8), "application/json");
                return null;
            });
            assertSameTarget("shop-exports.s3.eu-west-1.amazonaws.com", "s3", sdkPut, ourPut);
        }
    }

    // --- the two paths

    private record Exchange<T>(List<Request> requests, T result, RuntimeException error) {
        Request request() {
            assertEquals(1, requests.size(), () -> "one request, not " + requests.size() + "; error: " + error);
            return requests.get(0);
        }
    }

    private static <T> Exchange<T> exchange(Answer answer, Supplier<T> call) {
        return exchange(List.of(answer), call);
    }

    private static <T> Exchange<T> exchange(List<Answer> answers, Supplier<T> call) {
        wire.answerWith(answers.toArray(Answer[]::new));
        try {
            T result = call.get();
            return new Exchange<>(wire.requests(), result, null);
        } catch (RuntimeException e) {
            return new Exchange<>(wire.requests(), null, e);
        }
    }

    private static SesMailer mailer() {
        return new SesMailer(ours.ses(), "shop@example.com", "MailConfigurationSet");
    }

    /** The call SqsOrderEvents makes. */
    private static JsonNode sendMessage(String body) {
        return ours.sqs().call("1.0", "AmazonSQS.SendMessage", Map.of("QueueUrl", QUEUE_URL, "MessageBody", body));
    }

    /**
     * A generated client as AwsClients would build one, signing at {@link #CLOCK} and retrying
     * at once (the number of attempts is what is compared, and the test stays fast).
     */
    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C generated(
            B builder, SdkHttpClient httpClient, boolean local) {
        builder.httpClient(httpClient).region(Region.of(REGION)).credentialsProvider(CREDENTIALS)
                .putAuthScheme(fixedClockSigV4())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .backoffStrategy(BackoffStrategy.retryImmediately())
                        .throttlingBackoffStrategy(BackoffStrategy.retryImmediately()).build()));
        if (local) {
            builder.endpointOverride(wire.endpoint());
        }
        return builder.build();
    }

    /** The SDK's SigV4 scheme whose signer signs at {@link #CLOCK}. */
    private static AwsV4AuthScheme fixedClockSigV4() {
        AwsV4HttpSigner signer = AwsV4HttpSigner.create();
        AwsV4HttpSigner fixed = new AwsV4HttpSigner() {
            @Override
            public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
                return signer.sign(request.toBuilder().putProperty(HttpSigner.SIGNING_CLOCK, CLOCK).build());
            }

            @Override
            public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
                throw new UnsupportedOperationException("sync clients only");
            }
        };
        return new AwsV4AuthScheme() {
            @Override
            public String schemeId() {
                return AwsV4AuthScheme.SCHEME_ID;
            }

            @Override
            public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
                return providers.identityProvider(AwsCredentialsIdentity.class);
            }

            @Override
            public AwsV4HttpSigner signer() {
                return fixed;
            }
        };
    }

    // --- what must be equal

    private static void assertSameRequest(Exchange<?> sdk, Exchange<?> mine, String service) {
        assertNull(sdk.error(), () -> "generated client failed: " + sdk.error());
        assertNull(mine.error(), () -> "hand-written call failed: " + mine.error());
        Request sent = sdk.request();
        Request actual = mine.request();
        SigV4Check.assertValid(sent, ACCESS_KEY, SECRET, REGION, service);
        SigV4Check.assertValid(actual, ACCESS_KEY, SECRET, REGION, service);

        Request expected = asS3ReadsIt(sent);
        assertEquals(expected.method(), actual.method(), "method");
        assertEquals(expected.host(), actual.host(), "host");
        assertEquals(expected.rawPath(), actual.rawPath(), "path");
        assertEquals(expected.rawQuery(), actual.rawQuery(), "query");
        assertEquals(apiHeaders(expected).keySet(), apiHeaders(actual).keySet(), "headers sent");
        // x-amz-content-sha256 is how each signs its body; SigV4Check has checked it against that body.
        boolean json = String.valueOf(expected.header("content-type")).contains("json") && expected.body().length > 0;
        apiHeaders(expected).forEach((name, value) -> {
            if (!name.equals("x-amz-content-sha256") && !(json && name.equals("content-length"))) {
                assertEquals(value, actual.header(name), name);
            }
        });
        if (json) {
            assertEquals(tree(expected), tree(actual), "JSON body");
        } else {
            assertArrayEquals(expected.body(), actual.body(), "body");
        }

        var sdkSignature = SigV4Check.of(sent);
        var ourSignature = SigV4Check.of(actual);
        assertEquals("20260314/" + REGION + "/" + service + "/aws4_request", sdkSignature.scope());
        assertEquals(sdkSignature.scope(), ourSignature.scope(), "credential scope");
        assertEquals(sdkSignature.amzDate(), ourSignature.amzDate(), "signing time");
        Set<String> sdkSigned = new TreeSet<>(sdkSignature.signedHeaders());
        sdkSigned.removeAll(SDK_BOOKKEEPING);
        if (!sent.equals(expected)) {
            sdkSigned.removeAll(Set.of("content-encoding", "x-amz-trailer", "x-amz-decoded-content-length"));
            sdkSigned.addAll(List.of(sent.header("x-amz-trailer").split(",")));
        }
        assertEquals(sdkSigned, new TreeSet<>(ourSignature.signedHeaders()), "signed headers");
    }

    /**
     * The S3 client sends PutObject's body aws-chunked, its CRC32 in a trailer. S3 reads that as
     * the plain body with x-amz-checksum-crc32, which is how S3Objects sends it: this is that reading.
     */
    private static Request asS3ReadsIt(Request request) {
        if (!"aws-chunked".equals(request.header("content-encoding"))) {
            return request;
        }
        Map<String, String> headers = new TreeMap<>(request.headers());
        headers.remove("content-encoding");
        headers.remove("x-amz-trailer");
        headers.put("content-length", headers.remove("x-amz-decoded-content-length"));
        byte[] raw = request.body();
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = 0;
        for (int size = -1; size != 0; ) {
            int lineEnd = text.indexOf("\r\n", at);
            size = Integer.parseInt(text.substring(at, lineEnd).split(";")[0], 16);
            body.write(raw, lineEnd + 2, size);
            at = lineEnd + 2 + (size == 0 ? 0 : size + 2);
        }
        for (String line : text.substring(at).split("\r\n")) {
            if (line.contains(":") && !line.startsWith("x-amz-trailer-signature")) {
                headers.put(line.substring(0, line.indexOf(':')).toLowerCase(Locale.ROOT), line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return new Request(request.method(), request.host(), request.rawPath(), request.rawQuery(), headers, body.toByteArray());
    }

    private static Map<String, String> apiHeaders(Request request) {
        Map<String, String> headers = new TreeMap<>(request.headers());
        headers.keySet().removeAll(SDK_BOOKKEEPING);
        headers.remove("authorization");
        return headers;
    }

    private static void assertSameError(Exchange<?> sdk, Exchange<?> mine, Class<? extends AwsServiceException> sdkType) {
        var expected = assertInstanceOf(sdkType, sdk.error(), "the generated client reads the answer as this error");
        var actual = assertInstanceOf(AwsApiException.class, mine.error());
        assertEquals(expected.statusCode(), actual.statusCode(), "status");
        assertEquals(expected.awsErrorDetails().errorCode(), actual.errorCode(), "error code");
        String message = expected.awsErrorDetails().errorMessage();
        if (message != null) {
            assertTrue(actual.getMessage().endsWith(": " + message), () -> actual.getMessage() + " carries " + message);
        }
        assertEquals(sdk.requests().size(), mine.requests().size(), "attempts (retried alike)");
    }

    private static void assertSameTarget(String host, String service, Exchange<?> sdk, Exchange<?> mine) {
        Request expected = sdk.request();
        Request actual = mine.request();
        assertEquals(host, expected.host());
        assertEquals(expected.host(), actual.host(), "host");
        assertEquals(expected.method(), actual.method(), "method");
        assertEquals(expected.rawPath(), actual.rawPath(), "path");
        assertEquals(expected.rawQuery(), actual.rawQuery(), "query");
        SigV4Check.assertValid(actual, ACCESS_KEY, SECRET, REGION, service);
    }

    private static JsonNode tree(Request request) {
        try {
            return Json.mapper().readTree(request.body());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + request.bodyText(), e);
        }
    }

    private static String md5(String text) {
        return HexFormat.of().formatHex(digest("MD5", text.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
