package shop.core.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.core.config.Env;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * S3Objects against the S3 stand-in (which checks no signatures), and its presigned URLs
 * against the S3 SDK's own presigner, character for character.
 */
@ExtendWith(LocalAwsExtension.class)
class S3ObjectsTest {

    @Test
    void putsReadsThroughAPresignedUrlAndDeletes(LocalAws aws) throws Exception {
        String bucket = aws.physicalName("ExportsBucket");
        S3Objects objects = new AwsClients(Env.of(aws.functionEnvironment("NewsletterFunction", Map.of()))).s3(bucket);
        byte[] content = "{\"name\":\"Zoë\"}".getBytes(StandardCharsets.UTF_8);

        objects.put("exports/a file.json", content, "application/json; charset=utf-8");
        URI url = objects.presignedGet("exports/a file.json", Duration.ofMinutes(15), "attachment; filename=\"my-data.json\"");
        HttpResponse<byte[]> download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(200, download.statusCode());
        assertArrayEquals(content, download.body());
        assertEquals("application/json; charset=utf-8", aws.s3().headObject(b -> b.bucket(bucket).key("exports/a file.json"))
                .contentType());

        objects.delete("exports/a file.json");
        assertFalse(aws.s3().listObjectsV2(b -> b.bucket(bucket)).contents().stream()
                .anyMatch(o -> o.key().equals("exports/a file.json")));
        assertDoesNotThrow(() -> objects.delete("exports/never-there.json"));
    }

    @Test
    void presignsExactlyAsTheSdksPresignerDoes() {
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret-example"));
        URI sdk;
        try (S3Presigner presigner = S3Presigner.builder().region(Region.EU_WEST_1).credentialsProvider(credentials).build()) {
            sdk = URI.create(presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(15))
                    .getObjectRequest(g -> g.bucket("shop-exports").key("exports/a file.json")
                            .responseContentDisposition("attachment; filename=\"my-data.json\""))).url().toString());
        }
        String date = sdk.getQuery().replaceAll(".*X-Amz-Date=([0-9TZ]+).*", "$1");
        Instant signedAt = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssX").parse(date, Instant::from);

        URI ours = new S3Objects(UrlConnectionHttpClient.create(), credentials, "eu-west-1", "amazonaws.com", null,
                "shop-exports", Clock.fixed(signedAt, ZoneOffset.UTC))
                .presignedGet("exports/a file.json", Duration.ofMinutes(15), "attachment; filename=\"my-data.json\"");

        assertEquals(sdk, ours);
    }
}
