package shop.core.retention;

import java.time.Duration;
import java.util.List;

/**
 * The one retention schedule: every item a function writes takes its TTL from here. The
 * README prints {@link #markdownTable()} and a test keeps the two, and template.yaml, in step.
 */
public final class RetentionSchedule {
    /** The TTL attribute of every table (epoch seconds), declared in template.yaml. */
    public static final String TTL_ATTRIBUTE = "expiresAt";

    public static final RetentionRule NEWSLETTER_PENDING = RetentionRule.expiring(
            "Unconfirmed newsletter signup (address, consent given at signup)", "SubscribersTable",
            Duration.ofHours(48), "an address that never confirms was perhaps typed by someone else");
    public static final RetentionRule NEWSLETTER_CONFIRM_TOKEN = RetentionRule.expiring(
            "Newsletter confirmation token (its hash only)", "SubscribersTable",
            Duration.ofHours(48), "the link in the confirmation mail works for 48 hours");
    public static final RetentionRule NEWSLETTER_SUBSCRIBER = RetentionRule.until(
            "Confirmed subscriber and consent proof (address, time, policy version, source, browser, truncated IP, 13+ attestation)",
            "SubscribersTable", "until unsubscribe or erasure",
            "the consent proof must exist for as long as we mail on it");
    public static final RetentionRule NEWSLETTER_UNSUBSCRIBE_TOKEN = RetentionRule.expiring(
            "Unsubscribe link token (its hash and the address's keyed hash)", "SubscribersTable",
            Duration.ofDays(365), "an unsubscribe link in an old mail must still work");
    public static final RetentionRule SUPPRESSION = RetentionRule.until(
            "Suppression entry after unsubscribe (keyed hash of the address, never the address)", "SubscribersTable",
            "while the shop sends marketing mail",
            "no marketing mail to that address again without a fresh opt-in");
    public static final RetentionRule RATE_LIMIT_COUNTER = RetentionRule.expiring(
            "Rate-limit counter (keyed hash of an address or IP, a count)", "SubscribersTable",
            Duration.ofDays(1), "counts one hour's or one day's requests; kept for one day after its window closes");

    private RetentionSchedule() {
    }

    public static List<RetentionRule> all() {
        return List.of(NEWSLETTER_PENDING, NEWSLETTER_CONFIRM_TOKEN, NEWSLETTER_SUBSCRIBER,
                NEWSLETTER_UNSUBSCRIBE_TOKEN, SUPPRESSION, RATE_LIMIT_COUNTER);
    }

    public static String markdownTable() {
        StringBuilder table = new StringBuilder("| data | table | kept for | why |\n|---|---|---|---|\n");
        for (RetentionRule rule : all()) {
            table.append("| ").append(rule.data())
                    .append(" | ").append(rule.table())
                    .append(" | ").append(rule.keptForText())
                    .append(" | ").append(rule.why())
                    .append(" |\n");
        }
        return table.toString();
    }
}
