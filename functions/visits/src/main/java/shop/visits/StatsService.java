package shop.visits;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import shop.core.errors.InvalidInputException;
import shop.core.errors.UnauthorizedException;
import shop.core.logging.Log;
import shop.core.security.Tokens;

/** The daily statistics partners may read, for a range of at most 366 days. */
public final class StatsService {
    static final int MAX_DAYS = 366;
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Pattern BEARER = Pattern.compile("Bearer (pk_[a-z0-9]{16})\\.([A-Za-z0-9_-]{43})");

    private final DailyCounters counters;
    private final PartnerKeyStore keys;

    public StatsService(DailyCounters counters, PartnerKeyStore keys) {
        this.counters = counters;
        this.keys = keys;
    }

    public List<DailyStats> daily(Optional<String> authorization, Optional<String> from, Optional<String> to) {
        String partner = authenticate(authorization);
        LocalDate first = date("from", from);
        LocalDate last = date("to", to);
        if (last.isBefore(first)) {
            throw new InvalidInputException("to", "\"to\" must not be before \"from\".");
        }
        if (ChronoUnit.DAYS.between(first, last) + 1 > MAX_DAYS) {
            throw new InvalidInputException("to", "Ask for at most " + MAX_DAYS + " days per call.");
        }
        Log.info("stats_read", Map.of("partner", partner, "days", ChronoUnit.DAYS.between(first, last) + 1));
        return counters.read(first, last);
    }

    /** Returns the key id; the secret part is compared with the stored hash in constant time. */
    private String authenticate(Optional<String> authorization) {
        Matcher m = BEARER.matcher(authorization.orElse("").trim());
        if (!m.matches()) {
            throw unauthorized();
        }
        String keyId = m.group(1);
        byte[] presented = Tokens.hash(m.group(2)).getBytes(StandardCharsets.US_ASCII);
        // An unknown id is compared against a dummy hash, so both paths cost the same.
        Optional<PartnerKey> key = keys.find(keyId);
        String stored = key.map(PartnerKey::secretHash).orElse("0".repeat(64));
        if (!MessageDigest.isEqual(presented, stored.getBytes(StandardCharsets.US_ASCII)) || key.isEmpty()) {
            throw unauthorized();
        }
        return keyId;
    }

    private static UnauthorizedException unauthorized() {
        return new UnauthorizedException("Send a valid partner key as \"Authorization: Bearer <key>\".");
    }

    private static LocalDate date(String field, Optional<String> value) {
        String text = value.orElseThrow(() ->
                new InvalidInputException(field, "\"" + field + "\" is required, as YYYY-MM-DD."));
        // Four-digit years only: LocalDate.parse also takes "+999999999-12-31", whose next day
        // does not exist, so reading such a range failed with a 500.
        if (!DATE.matcher(text).matches()) {
            throw notADate(field);
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw notADate(field);
        }
    }

    private static InvalidInputException notADate(String field) {
        return new InvalidInputException(field, "\"" + field + "\" must be a date as YYYY-MM-DD.");
    }
}
