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
            "Suppression entry after unsubscribe, opt-out or erasure (keyed hash of the address, never the address)",
            "SubscribersTable",
            "while the shop sends marketing mail",
            "no marketing mail to that address again without a fresh opt-in");
    public static final RetentionRule CAMPAIGN = RetentionRule.expiring(
            "Newsletter campaign (subject, HTML and text, schedule, status, counts; no recipient data)", "CampaignsTable",
            Duration.ofDays(3 * 365), "shows what was sent to subscribers and when, for as long as a complaint about it can be made");
    public static final RetentionRule CAMPAIGN_SEND_RECORD = RetentionRule.expiring(
            "Campaign send record (campaign id, keyed hash of the recipient's address, when sent, SES message id)",
            "CampaignsTable", Duration.ofDays(90),
            "makes each campaign reach a person once, and lets late bounces and complaints (weeks later) find their campaign");
    public static final RetentionRule MAIL_FEEDBACK_EVENT = RetentionRule.expiring(
            "SES feedback event seen (SES message id, event type, keyed hash of the address; for an order mail's bounce, when the owner's mail about it was claimed and sent, and its SES message id)", "CampaignsTable",
            Duration.ofDays(30), "SES delivers an event at least once, within days: a repeat must change nothing more");
    public static final RetentionRule RATE_LIMIT_COUNTER = RetentionRule.expiring(
            "Rate-limit counter (keyed hash of an address or IP, a count)", "SubscribersTable",
            Duration.ofDays(1), "counts one hour's or one day's requests; kept for one day after its window closes");
    public static final RetentionRule CHECKOUT_RESERVATION = RetentionRule.expiring(
            "Checkout reservation (reservation id, Checkout Session id, SKUs and quantities; no personal data)",
            "CheckoutsTable", Duration.ofDays(4),
            "a session expires after 30 minutes and Stripe retries its expiry event for up to 3 days; the record must"
                    + " outlive both to give the stock back (kept as long as an unpaid order while a bank payment is pending)");
    public static final RetentionRule CHECKOUT_HOLD_COUNT = RetentionRule.expiring(
            "Open checkouts per client (keyed hash of a source IP or an address; the reservation ids and pieces of its open checkouts)",
            "CheckoutsTable", Duration.ofDays(4),
            "limits what one client holds at once; a checkout that ended leaves it at the client's next one, and"
                    + " it lasts as long as the reservations it lists (renewed with each checkout)");
    public static final RetentionRule ORDER_PAID = RetentionRule.expiring(
            "Paid or refunded order (name, email, shipping and billing address, items, amounts; never card data)",
            "OrdersTable", Duration.ofDays(7 * 365), "tax and accounting records are kept for 7 years");
    public static final RetentionRule ORDER_UNPAID = RetentionRule.expiring(
            "Order awaiting a delayed payment, or whose payment failed (the same fields as a paid order)",
            "OrdersTable", Duration.ofDays(30),
            "a bank payment settles within days; an order that was never paid is no sale and is not kept");
    public static final RetentionRule WEBHOOK_EVENT = RetentionRule.expiring(
            "Processed Stripe event (its id and type only)", "OrdersTable", Duration.ofDays(30),
            "Stripe retries an event for up to 3 days; a repeat within that time must be recognised");
    public static final RetentionRule ORDER_MAIL_CLAIM = RetentionRule.expiring(
            "Order mail record (order id, which mail, when claimed and sent, SES message id)", "OrdersTable",
            Duration.ofDays(30), "SQS keeps a message for at most 14 days, so no retry can come later");
    public static final RetentionRule ORDERS_WAITING_MAIL_CLAIM = RetentionRule.expiring(
            "The owner's morning mail of what waits, its day's record (the UTC day, when claimed and sent, SES message id;"
                    + " no order, no address)", "OrdersTable", Duration.ofDays(7),
            "makes the mail go out once a day however often its schedule fires; a retry comes within hours");
    public static final RetentionRule ADMIN_AUDIT = RetentionRule.expiring(
            "Back-office audit trail (who: the staff member's Cognito sub and username, which may be their email address;"
                    + " when, what, the changed fields before and after; an invited address names its staff lines; never card"
                    + " data)",
            "AdminAuditTable", Duration.ofDays(7 * 365),
            "kept as long as the order it touches (a line about a product or staff member: as long as an order; about a"
                    + " privacy request: as long as the request, 3 years); who acted stays on each line for as long, also"
                    + " after their account is disabled or deleted, since saying who did what is what the trail is for"
                    + " (SECURITY.md, \"Staff in the audit trail\")");
    public static final RetentionRule DAILY_ORDER_COUNT = RetentionRule.until(
            "Orders-per-day counter (16 items a day, each a count and one-way hashes of the day's order ids in it; no personal data)",
            "StatsTable", "kept",
            "the number of orders on a date is the aggregate the privacy policy shares with partners");

    public static final RetentionRule VISIT_LOG = RetentionRule.expiring(
            "Visit log line (IP address, user agent with browser and OS family, referring host, path, time)",
            "VisitsTable", Duration.ofDays(30),
            "enough to look into problems with the site; not written at all when the browser sends Sec-GPC or DNT");
    public static final RetentionRule DAILY_SALT = RetentionRule.expiring(
            "Daily visitor salt (random; never exported)", "VisitsTable", Duration.ofHours(48),
            "once it is gone, that day's visitor hashes can no longer be recomputed from an IP and browser");
    public static final RetentionRule VISITOR_MARKER = RetentionRule.expiring(
            "First-seen marker (a salted hash of IP and user agent, per day)", "VisitsTable", Duration.ofHours(48),
            "only decides whether a page view is the day's first from that visitor");
    public static final RetentionRule DAILY_VISIT_COUNTS = RetentionRule.until(
            "Daily page-view and visitor counters (counts only, no personal data)", "StatsTable", "kept",
            "the number of daily visitors is the aggregate the privacy policy shares with partners");
    public static final RetentionRule PARTNER_KEY = RetentionRule.until(
            "Partner API key (partner name and the SHA-256 of the key's secret)", "StatsTable",
            "until revoked", "partners read the daily statistics with it");

    public static final RetentionRule DEACTIVATION = RetentionRule.until(
            "Account deactivation after an opt-out (keyed hash of the address, when)", "SubscribersTable",
            "until a verified reactivation or erasure",
            "checkout refuses the address for as long as the person wants it refused");
    public static final RetentionRule PRIVACY_REQUEST = RetentionRule.expiring(
            "Privacy request confirmed by the person (verified, completed, failed or lapsed) and its audit trail (type,"
                    + " status, dates, each step's outcome, stores touched, keyed hash of the address)",
            "PrivacyRequestsTable", Duration.ofDays(3 * 365),
            "shows that and when each request was answered, or how far the shop got with it, for as long as a complaint"
                    + " about it can be made");
    public static final RetentionRule PRIVACY_REQUEST_ADDRESS = RetentionRule.until(
            "The address, any correction and the source IPs of a confirmed privacy request", "PrivacyRequestsTable",
            "until the request completes; one that failed or stopped, until its due date (30 days after it was made)",
            "to answer the person, or for the owner to finish it by hand or write to them, within the 30 days the shop"
                    + " has; then the daily round forgets them and the request is lapsed");
    public static final RetentionRule PRIVACY_REQUEST_PENDING = RetentionRule.expiring(
            "Privacy request waiting for its verification link (the address, any correction, the keyed hash, its trail)",
            "PrivacyRequestsTable", Duration.ofHours(48),
            "the link works 1 hour and the daily round then expires the request; should that round not run, the whole"
                    + " request goes");
    public static final RetentionRule PRIVACY_REQUEST_UNCONFIRMED = RetentionRule.expiring(
            "Privacy request never confirmed (expired; type, dates, keyed hash of the address, its trail; no address)",
            "PrivacyRequestsTable", Duration.ofDays(90),
            "shows a person who says they asked that a link was mailed and not used, well past the month to answer;"
                    + " it may not have been the person's request at all, so not for years");
    public static final RetentionRule PRIVACY_DIGEST_CLAIM = RetentionRule.expiring(
            "The owner's daily privacy digest, its day's record (the UTC day, when claimed and sent, SES message id; no"
                    + " request, no address)", "PrivacyRequestsTable", Duration.ofDays(7),
            "makes the digest go out once a day however often its schedule fires; a retry comes within hours");
    public static final RetentionRule PRIVACY_VERIFICATION_TOKEN = RetentionRule.expiring(
            "Privacy request verification token (its hash only)", "PrivacyRequestsTable", Duration.ofHours(1),
            "the link in the verification mail works for 1 hour");
    public static final RetentionRule EXPORT_DOWNLOAD_TOKEN = RetentionRule.expiring(
            "Export download link token (its hash and the export's key)", "PrivacyRequestsTable", Duration.ofDays(7),
            "the download link works as long as the export exists");
    public static final RetentionRule EXPORT_FILE = RetentionRule.expiring(
            "Access request export (everything held about one address, as JSON)", "ExportsBucket", Duration.ofDays(7),
            "a week to download it; the bucket's lifecycle rule deletes it");
    public static final RetentionRule ACCOUNTING_EXPORT = RetentionRule.expiring(
            "Accounting export of a date range (order numbers, dates, items, amounts, refunds, currency, country; no name,"
                    + " email or address)", "AccountingExportsBucket", Duration.ofDays(1),
            "the owner downloads it through a 5-minute link; the bucket's lifecycle rule deletes it the next day");
    public static final RetentionRule INBOUND_MAIL = RetentionRule.expiring(
            "Mail to the unsubscribe address (the raw message SES stores)", "InboundMailBucket", Duration.ofDays(1),
            "deleted as soon as it has been acted on; the bucket's lifecycle rule removes what a failed run left");

    public static final RetentionRule SIGN_IN_CODE = RetentionRule.expiring(
            "Account sign-in or new-address code (a keyed hash of the code and of the address, tries used)",
            "CustomerAccountsTable", Duration.ofMinutes(10), "a mailed code works for 10 minutes and 5 tries");
    public static final RetentionRule ACCOUNT_SESSION = RetentionRule.expiring(
            "Account session (the SHA-256 of its token, the address and its keyed hash, when it began and was last used)",
            "CustomerAccountsTable", Duration.ofHours(12),
            "a session ends after 30 idle minutes, 12 hours at most, at sign-out, or when the address is erased or the"
                    + " account moves to another address, whichever comes first");

    private RetentionSchedule() {
    }

    public static List<RetentionRule> all() {
        return List.of(NEWSLETTER_PENDING, NEWSLETTER_CONFIRM_TOKEN, NEWSLETTER_SUBSCRIBER,
                NEWSLETTER_UNSUBSCRIBE_TOKEN, SUPPRESSION, CAMPAIGN, CAMPAIGN_SEND_RECORD, MAIL_FEEDBACK_EVENT, RATE_LIMIT_COUNTER,
                CHECKOUT_RESERVATION, CHECKOUT_HOLD_COUNT, ORDER_PAID, ORDER_UNPAID, WEBHOOK_EVENT, ORDER_MAIL_CLAIM, ORDERS_WAITING_MAIL_CLAIM, ADMIN_AUDIT, DAILY_ORDER_COUNT,
                VISIT_LOG, DAILY_SALT, VISITOR_MARKER, DAILY_VISIT_COUNTS, PARTNER_KEY,
                DEACTIVATION, PRIVACY_REQUEST, PRIVACY_REQUEST_ADDRESS, PRIVACY_REQUEST_PENDING,
                PRIVACY_REQUEST_UNCONFIRMED, PRIVACY_DIGEST_CLAIM, PRIVACY_VERIFICATION_TOKEN, EXPORT_DOWNLOAD_TOKEN, EXPORT_FILE, ACCOUNTING_EXPORT, INBOUND_MAIL,
                SIGN_IN_CODE, ACCOUNT_SESSION);
    }

    public static String markdownTable() {
        StringBuilder table = new StringBuilder("| data | stored in | kept for | why |\n|---|---|---|---|\n");
        for (RetentionRule rule : all()) {
            table.append("| ").append(rule.data())
                    .append(" | ").append(rule.store())
                    .append(" | ").append(rule.keptForText())
                    .append(" | ").append(rule.why())
                    .append(" |\n");
        }
        return table.toString();
    }
}
