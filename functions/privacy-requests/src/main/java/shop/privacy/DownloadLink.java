package shop.privacy;

import java.time.Instant;

/** The link in an access request's result mail: its token's SHA-256 and the export it opens. */
public record DownloadLink(String tokenHash, String requestId, String exportKey, Instant expiresAt) {
}
