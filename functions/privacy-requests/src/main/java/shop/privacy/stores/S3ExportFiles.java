package shop.privacy.stores;

import java.net.URI;
import java.time.Duration;
import shop.privacy.ExportFiles;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Exports in the private bucket (template.yaml's ExportsBucket: encrypted, no public access,
 * TLS only, objects expire after 7 days). Downloads go through short presigned GET URLs.
 */
public final class S3ExportFiles implements ExportFiles {
    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;

    public S3ExportFiles(S3Client s3, S3Presigner presigner, String bucket) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
    }

    @Override
    public void put(String key, byte[] json) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json; charset=utf-8"),
                RequestBody.fromBytes(json));
    }

    @Override
    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    @Override
    public URI downloadUrl(String key, Duration validFor) {
        var presigned = presigner.presignGetObject(p -> p.signatureDuration(validFor)
                .getObjectRequest(g -> g.bucket(bucket).key(key)
                        .responseContentDisposition("attachment; filename=\"my-data.json\"")));
        return URI.create(presigned.url().toString());
    }
}
