package shop.core.mail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import shop.core.logging.Log;

/**
 * Sends a scheduled mail at most once per UTC day, through its {@link DayClaims}: the day is
 * claimed before the mail is sent and marked sent after, so a schedule that fires twice
 * (EventBridge delivers at least once), or Lambda's retry of a run that mailed, mails nothing more.
 * SES refusing the mail releases the claim and fails the run, so the retry mails. A run that finds
 * the day claimed by another, less than the stale limit ago, and not yet marked sent fails too: the
 * retry finds it sent, or takes over the claim of a run that stopped between claim and send. The
 * one way to two mails is a stop between SES accepting the mail and the claim being marked sent.
 * Used by the owner's morning mail of what waits and the privacy digest; it logs
 * {@code <event>_mailed}, {@code <event>_mailed_before} and {@code <event>_sent_not_recorded}.
 */
public final class OnceADayMail {
    /** What one send did. */
    public enum Sent {
        /** The mail went out. */
        MAILED,
        /** The day's mail went out before (the schedule fired again, or a retry). */
        MAILED_BEFORE
    }

    private final DayClaims claims;
    private final Mailer mailer;
    private final Duration staleAfter;
    private final String event;
    private final Clock clock;

    /**
     * {@code staleAfter}: longer than the function may run (a claim this old has no live holder), shorter than the
     * time to Lambda's second retry of a failed scheduled run (about 3 minutes), so that retry takes the claim over.
     */
    public OnceADayMail(DayClaims claims, Mailer mailer, Duration staleAfter, String event, Clock clock) {
        this.claims = claims;
        this.mailer = mailer;
        this.staleAfter = staleAfter;
        this.event = event;
        this.clock = clock;
    }

    /**
     * Claims the UTC day of {@code now} and sends the mail {@code compose} makes, unless the day's mail went out
     * before. Throws when the mail could not be composed or sent (the claim released), or when another run holds
     * the day's claim and has not marked it sent.
     */
    public Sent send(Instant now, Supplier<Email> compose) {
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        String token = UUID.randomUUID().toString();
        switch (claims.claim(day, token, now, now.minus(staleAfter))) {
            case ALREADY_SENT -> {
                Log.info(event + "_mailed_before", Map.of("day", day.toString()));
                return Sent.MAILED_BEFORE;
            }
            case HELD_ELSEWHERE -> throw new IllegalStateException("Another run claimed " + day
                    + "'s mail less than " + staleAfter.toSeconds() + " s ago and has not marked it sent;"
                    + " the retry finds it sent, or takes the claim over");
            case CLAIMED -> {
                // ours: send
            }
        }
        String messageId;
        try {
            messageId = mailer.send(compose.get());
        } catch (RuntimeException e) {
            claims.release(day, token);
            throw e;
        }
        try {
            claims.markSent(day, messageId, clock.instant());
        } catch (RuntimeException e) {
            // SES has the mail: failing now would only have the retry send it again once the claim is stale.
            Log.error(event + "_sent_not_recorded", Map.of("day", day.toString(), "messageId", messageId,
                    "exception", e.getClass().getName()));
            return Sent.MAILED;
        }
        Log.info(event + "_mailed", Map.of("day", day.toString(), "messageId", messageId));
        return Sent.MAILED;
    }
}
