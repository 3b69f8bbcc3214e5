package shop.privacy.stores;

import java.net.URI;
import java.time.Duration;
import shop.core.snapstart.Priming;
import shop.privacy.ExportFiles;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Exports in the private bucket (template.yaml's ExportsBucket: encrypted, no public access,
 * TLS only, objects expire after 7 days). Downloads go through short presigned GET URLs.
 */
public final class S3ExportFiles implements ExportFiles {
    private static final String CONTENT_TYPE = "application/json; charset=utf-8";
    private static final String DOWNLOAD_AS = "attachment; filename=\"my-data.json\"";

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
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(CONTENT_TYPE), RequestBody.fromBytes(json));
    }

    @Override
    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    /**
     * A URL that GETs the object for {@code validFor}, with nothing but the URL; the download is
     * saved as my-data.json.
     */
    @Override
    public URI downloadUrl(String key, Duration validFor) {
        return URI.create(presigner.presignGetObject(p -> p.signatureDuration(validFor)
                .getObjectRequest(g -> g.bucket(bucket).key(key).responseContentDisposition(DOWNLOAD_AS)))
                .url().toString());
    }

    /**
     * A PutObject and a DeleteObject through the whole client, stopped before they are sent, and
     * a presigned URL (made offline, never used).
     */
    public void prime() {
        String key = "priming-never-written.json";
        Priming.unsent(override -> s3.putObject(b -> b.bucket(bucket).key(key).contentType(CONTENT_TYPE)
                .overrideConfiguration(override), RequestBody.fromBytes(new byte[] {'{', '}'})));
        Priming.unsent(override -> s3.deleteObject(b -> b.bucket(bucket).key(key).overrideConfiguration(override)));
        downloadUrl(key, Duration.ofMinutes(1));
    }
}
