package shop.privacy.stores;

import java.net.URI;
import java.time.Duration;
import shop.core.aws.S3Objects;
import shop.privacy.ExportFiles;

/**
 * Exports in the private bucket (template.yaml's ExportsBucket: encrypted, no public access,
 * TLS only, objects expire after 7 days). Downloads go through short presigned GET URLs.
 */
public final class S3ExportFiles implements ExportFiles {
    private final S3Objects bucket;

    public S3ExportFiles(S3Objects bucket) {
        this.bucket = bucket;
    }

    @Override
    public void put(String key, byte[] json) {
        bucket.put(key, json, "application/json; charset=utf-8");
    }

    @Override
    public void delete(String key) {
        bucket.delete(key);
    }

    @Override
    public URI downloadUrl(String key, Duration validFor) {
        return bucket.presignedGet(key, validFor, "attachment; filename=\"my-data.json\"");
    }
}
