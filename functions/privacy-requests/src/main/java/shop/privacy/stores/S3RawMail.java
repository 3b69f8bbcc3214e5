package shop.privacy.stores;

import shop.core.snapstart.Priming;
import shop.privacy.RawMail;
import software.amazon.awssdk.services.s3.S3Client;

/** The raw messages SES's receipt rule stores under {@code prefix} + its message id. */
public final class S3RawMail implements RawMail {
    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    public S3RawMail(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    @Override
    public void delete(String messageId) {
        // S3 answers a delete of a missing key with success, as we want.
        s3.deleteObject(b -> b.bucket(bucket).key(prefix + messageId));
    }

    /** A DeleteObject through the whole client, stopped before it is sent. */
    public void prime() {
        Priming.unsent(override -> s3.deleteObject(b -> b.bucket(bucket).key(prefix + "priming-never-stored")
                .overrideConfiguration(override)));
    }
}
