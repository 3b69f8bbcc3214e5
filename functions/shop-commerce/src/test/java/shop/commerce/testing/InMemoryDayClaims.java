package shop.commerce.testing;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import shop.core.mail.DayClaims;
import shop.core.mail.SendClaim;

/**
 * A daily mail's day claims as {@code DynamoDayClaims} keeps them: claimed with a token and a time, sent, or released
 * (for the morning mail of what waits and the privacy digest).
 */
public final class InMemoryDayClaims implements DayClaims {
    /** A day's item: CLAIMED with its token and claim time, or SENT with its time. */
    public record Claim(String status, String token, Instant at) {
    }

    public final Map<LocalDate, Claim> days = new HashMap<>();

    @Override
    public synchronized SendClaim claim(LocalDate day, String token, Instant now, Instant staleBefore) {
        Claim held = days.get(day);
        if (held == null || (held.status().equals("CLAIMED") && held.at().isBefore(staleBefore))) {
            days.put(day, new Claim("CLAIMED", token, now));
            return SendClaim.CLAIMED;
        }
        return held.status().equals("SENT") ? SendClaim.ALREADY_SENT : SendClaim.HELD_ELSEWHERE;
    }

    @Override
    public synchronized void markSent(LocalDate day, String messageId, Instant at) {
        days.put(day, new Claim("SENT", null, at));
    }

    @Override
    public synchronized void release(LocalDate day, String token) {
        days.computeIfPresent(day, (d, held) -> token.equals(held.token()) ? null : held);
    }
}
