package shop.admincatalog;

import java.net.URI;
import java.time.Duration;

/** Hands out one-time upload links to the images bucket. */
public interface ImageUploads {
    /**
     * A URL that accepts one PUT of exactly {@code size} bytes of {@code contentType} to
     * {@code key} for {@code lifetime}: both headers are signed, so the store refuses anything else.
     */
    URI presignPut(String key, String contentType, long size, Duration lifetime);
}
