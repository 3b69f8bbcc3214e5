package shop.visits;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/** The visit log, the daily salts and the first-seen markers. */
public interface VisitStore {
    void log(VisitLogEntry entry, Instant expiresAt);

    /** The day's salt if one exists; salts are never exported and expire after 48 hours. */
    Optional<String> salt(LocalDate day);

    /** Stores {@code salt} unless the day has one; returns the day's salt either way. */
    String saltOnce(LocalDate day, String salt, Instant expiresAt);

    /** True the first time a visitor hash is seen on a day (a conditional put). */
    boolean firstSeen(LocalDate day, String visitorHash, Instant expiresAt);
}
