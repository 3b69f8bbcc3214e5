package shop.campaigns;

import java.time.Instant;

/**
 * A newsletter campaign as the owner wrote it, where its sending stands, and its counts.
 *
 * @param pass       how many times sending was started: resuming after a pause or a stop starts a new
 *                   pass over the audience, and the per-recipient send records keep it to one mail each
 * @param sendAt     when sending starts (null for a draft)
 * @param finishedAt when every recipient of its last pass was handled (null until it is {@link Status#SENT})
 */
public record Campaign(String id, String subject, String html, String text, Status status, Instant sendAt,
                       Instant createdAt, String createdBy, int pass, CampaignCounts counts, Instant finishedAt) {

    public enum Status {
        /** Written, not yet asked to be sent. */
        DRAFT,
        /** To be sent at {@code sendAt}. */
        SCHEDULED,
        /** The dispatcher is queueing the audience. */
        SENDING,
        /** Every recipient is queued; the senders work through the queue. */
        DISPATCHED,
        /**
         * Every recipient queued in the last pass was handled: sent, skipped (unsubscribed or
         * suppressed meanwhile) or given up. Final: SES's later events still add to the counts.
         */
        SENT,
        /** Stopped by the owner; resume starts a new pass, sending only to those not reached yet. */
        PAUSED,
        /** Stopped for good. */
        CANCELLED;

        boolean sends() {
            return this == SENDING || this == DISPATCHED;
        }
    }

    public Campaign withCounts(CampaignCounts newCounts) {
        return new Campaign(id, subject, html, text, status, sendAt, createdAt, createdBy, pass, newCounts, finishedAt);
    }
}
