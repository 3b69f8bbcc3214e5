package shop.visits;

import java.time.Instant;
import java.util.Optional;

/** One line of the visit log the privacy policy announces; kept 30 days. */
public record VisitLogEntry(Instant at, String sourceIp, String userAgent, String browserFamily, String osFamily,
                            Optional<String> referrerHost, String path) {
}
