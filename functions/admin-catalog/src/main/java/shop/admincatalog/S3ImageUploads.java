package shop.admincatalog;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Presigned PUTs to the images bucket with the SDK's presigner. Content-Type and Content-Length
 * are part of the signed request (its SignedHeaders), so S3 refuses an upload of another type
 * or size than the one the service checked.
 */
public final class S3ImageUploads implements ImageUploads {
    private final S3Presigner presigner;
    private final String bucket;

    public S3ImageUploads(S3Presigner presigner, String bucket) {
        this.presigner = presigner;
        this.bucket = bucket;
    }

    /** A photo's upload signed offline (nothing is sent, no upload can follow from it in the snapshot). */
    void prime(String sku) {
        presignPut("products/" + sku + "/priming.png", "image/png", 1, Duration.ofMinutes(1));
    }

    @Override
    public URI presignPut(String key, String contentType, long size, Duration lifetime) {
        var presigned = presigner.presignPutObject(p -> p.signatureDuration(lifetime)
                .putObjectRequest(PutObjectRequest.builder().bucket(bucket).key(key)
                        .contentType(contentType).contentLength(size).build()));
        try {
            return presigned.url().toURI();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("The presigner made an invalid URL", e);
        }
    }
}
