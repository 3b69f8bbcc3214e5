package shop.privacy.stores;

import shop.privacy.RawMail;
import shop.core.aws.S3Objects;

/** The raw messages SES's receipt rule stores under {@code prefix} + its message id. */
public final class S3RawMail implements RawMail {
    private final S3Objects bucket;
    private final String prefix;

    public S3RawMail(S3Objects bucket, String prefix) {
        this.bucket = bucket;
        this.prefix = prefix;
    }

    @Override
    public void delete(String messageId) {
        // S3 answers a delete of a missing key with success, as we want.
        bucket.delete(prefix + messageId);
    }
}
