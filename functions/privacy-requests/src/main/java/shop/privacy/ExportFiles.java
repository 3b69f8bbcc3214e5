package shop.privacy;

import java.net.URI;
import java.time.Duration;

/** The private bucket of access exports (template.yaml's ExportsBucket). */
public interface ExportFiles {
    void put(String key, byte[] json);

    void delete(String key);

    /** A short-lived URL that downloads the file, for the redirect behind the mailed link. */
    URI downloadUrl(String key, Duration validFor);
}
