package shop.adminorders;

import java.net.URI;
import java.time.Duration;

/** Where accounting exports are written and handed out from (the exports bucket's accounting/ prefix). */
public interface AccountingExports {
    void put(String key, byte[] csv);

    /** A link that downloads {@code key} for {@code validFor}, then no longer works. */
    URI downloadUrl(String key, Duration validFor);
}
