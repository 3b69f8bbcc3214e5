package shop.adminorders;

import java.net.URI;
import java.time.Duration;
import shop.core.snapstart.Priming;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@link AccountingExports} in the accounting exports bucket under {@code accounting/} (its
 * lifecycle rule removes them after a day), handed out as presigned GETs that download as a file.
 */
final class S3AccountingExports implements AccountingExports {
    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;

    /** A presigner with the client's own region, credentials and endpoint (the builder does not take them all from it). */
    static S3Presigner presigner(S3Client s3) {
        var configuration = s3.serviceClientConfiguration();
        var builder = S3Presigner.builder().s3Client(s3).region(configuration.region())
                .credentialsProvider(configuration.credentialsProvider());
        configuration.endpointOverride().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    S3AccountingExports(S3Client s3, S3Presigner presigner, String bucket) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
    }

    @Override
    public void put(String key, byte[] csv) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("text/csv; charset=utf-8")
                .serverSideEncryption(ServerSideEncryption.AES256), RequestBody.fromBytes(csv));
    }

    /** The CSV's PutObject stopped before it is sent, and a link signed offline: nothing is written. */
    void prime() {
        String key = "accounting/priming-never-written.csv";
        Priming.unsent(override -> s3.putObject(b -> b.bucket(bucket).key(key).contentType("text/csv; charset=utf-8")
                .serverSideEncryption(ServerSideEncryption.AES256).overrideConfiguration(override),
                RequestBody.fromBytes(new byte[0])));
        downloadUrl(key, Duration.ofMinutes(1));
    }

    @Override
    public URI downloadUrl(String key, Duration validFor) {
        String file = key.substring(key.lastIndexOf('/') + 1);
        return URI.create(presigner.presignGetObject(p -> p.signatureDuration(validFor)
                .getObjectRequest(g -> g.bucket(bucket).key(key)
                        .responseContentDisposition("attachment; filename=\"" + file + "\"")
                        .responseContentType("text/csv; charset=utf-8"))).url().toString());
    }
}
