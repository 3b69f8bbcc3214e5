package shop.campaigns;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import shop.core.admin.AdminAction;
import shop.core.admin.AdminCaller;
import shop.core.admin.AuditTrail;
import shop.core.email.EmailAddress;
import shop.core.errors.ConflictException;
import shop.core.errors.InvalidInputException;
import shop.core.errors.NotFoundException;
import shop.core.json.Json;
import shop.core.logging.Log;
import shop.core.mail.Mailer;
import shop.core.retention.RetentionSchedule;

/**
 * The owner's campaign actions: write, preview, test, send now or later, pause, resume, cancel.
 * Every change is written by the store together with its line of the audit trail (subject
 * {@code CAMPAIGN#<id>}), or not at all; a refused change has no line. The test mail, an SES
 * send, has its request's line before and its outcome's after.
 */
public final class CampaignService {
    static final int LIST_LIMIT = 50;
    /** A page token: the epoch milliseconds a campaign was created at, a dot, its id (a lower-case UUID). */
    private static final Pattern PAGE_TOKEN = Pattern.compile(
            "([0-9]{1,15})\\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");
    private static final Pattern CAMPAIGN_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final java.time.Duration LATEST_SEND_AT = java.time.Duration.ofDays(365);

    private final CampaignStore store;
    private final Audience audience;
    private final UnsubscribeCounts unsubscribes;
    private final CampaignMails mails;
    private final Mailer mailer;
    private final EmailAddress ownerAddress;
    private final AuditTrail audit;
    private final Clock clock;

    public CampaignService(CampaignStore store, Audience audience, UnsubscribeCounts unsubscribes, CampaignMails mails,
                           Mailer mailer, EmailAddress ownerAddress, AuditTrail audit, Clock clock) {
        this.store = store;
        this.audience = audience;
        this.unsubscribes = unsubscribes;
        this.mails = mails;
        this.mailer = mailer;
        this.ownerAddress = ownerAddress;
        this.audit = audit;
        this.clock = clock;
    }

    public Campaign create(AdminCaller caller, CampaignDraft draft) {
        Instant now = clock.instant();
        Campaign campaign = new Campaign(UUID.randomUUID().toString(), draft.subject(), draft.html(), draft.text(),
                Campaign.Status.DRAFT, null, now, caller.subject(), 0, CampaignCounts.NONE, null);
        store.create(campaign, line(caller, campaign.id(), "campaign.created", null,
                Json.write(Map.of("subject", draft.subject()))));
        return campaign;
    }

    public Campaign update(AdminCaller caller, String id, CampaignDraft draft) {
        Campaign before = get(id);
        if (!store.updateDraft(id, draft.subject(), draft.html(), draft.text(), line(caller, id, "campaign.updated",
                Json.write(Map.of("subject", before.subject())), Json.write(Map.of("subject", draft.subject()))))) {
            throw new ConflictException("Only a draft can be changed; this campaign is " + before.status() + ".");
        }
        return get(id);
    }

    public Campaign get(String id) {
        // Ids are lower-case UUIDs (create): anything else names no campaign, and is not sent to DynamoDB, which
        // refuses a key over 2 KB with an error that was a 500.
        if (id == null || !CAMPAIGN_ID.matcher(id).matches()) {
            throw new NotFoundException("There is no campaign with this id.");
        }
        Campaign campaign = store.find(id).orElseThrow(() -> new NotFoundException("No campaign " + id + "."));
        return campaign.withCounts(campaign.counts().withUnsubscribed(unsubscribes.of(id)));
    }

    /**
     * The newest {@value #LIST_LIMIT} campaigns from the position {@code page} names ({@link #pageToken} of a page's
     * {@code next}; absent or empty: the newest); anything else is the caller's mistake (400, nothing read).
     */
    public CampaignStore.Page list(Optional<String> page) {
        return store.list(LIST_LIMIT, page.filter(token -> !token.isEmpty()).map(CampaignService::position));
    }

    /** Where the next page starts, as the list hands it out: its first campaign is created before this one. */
    static String pageToken(CampaignStore.Position position) {
        return position.createdAt().toEpochMilli() + "." + position.id();
    }

    private static CampaignStore.Position position(String token) {
        Matcher matched = PAGE_TOKEN.matcher(token);
        if (!matched.matches()) {
            throw InvalidInputException.unknownPageToken();
        }
        return new CampaignStore.Position(Instant.ofEpochMilli(Long.parseLong(matched.group(1))), matched.group(2));
    }

    /**
     * How many confirmed subscribers a campaign sent now would go to, as the owner sees it before sending: counted on
     * the audience's index, never read. At most that many are mailed (suppressed addresses are skipped at sending).
     * The count alone is answered and logged, no address.
     */
    public long audienceSize() {
        long confirmed = audience.count();
        Log.info("campaign_audience_counted", Map.of("confirmedSubscribers", confirmed));
        return confirmed;
    }

    /** The mail as a subscriber would get it, with a link that unsubscribes nobody. */
    public shop.core.mail.Email preview(String id, String apiBaseUrl) {
        return mails.test(ownerAddress, get(id), apiBaseUrl);
    }

    /**
     * Sends the campaign, marked as a test, to the owner's own address; counts nothing. The send is
     * SES's, not DynamoDB's, so it cannot share a transaction with its line: {@code
     * campaign.test_requested} is written before the send, then {@code campaign.test_sent} (with
     * SES's message id) or {@code campaign.test_failed} (with the kind of failure). A stop between
     * them leaves the request's line: a mail that may have gone out, never one without a line.
     */
    public String sendTest(AdminCaller caller, String id, String apiBaseUrl) {
        Campaign campaign = get(id);
        requirePostalAddress();
        shop.core.mail.Email mail = mails.test(ownerAddress, campaign, apiBaseUrl);
        audit.record(line(caller, id, "campaign.test_requested", null, null));
        String messageId;
        try {
            messageId = mailer.send(mail);
        } catch (RuntimeException e) {
            try {
                audit.record(line(caller, id, "campaign.test_failed", null,
                        Json.write(Map.of("error", e.getClass().getSimpleName()))));
            } catch (RuntimeException unrecorded) {
                e.addSuppressed(unrecorded); // the send's failure is the answer
            }
            throw e;
        }
        audit.record(line(caller, id, "campaign.test_sent", null, Json.write(Map.of("messageId", messageId))));
        Log.info("campaign_test_sent", Map.of("campaign", id, "messageId", messageId));
        return messageId;
    }

    /** Now ({@code at} null) or at a time; the dispatcher starts it within a minute of that time. */
    public Campaign send(AdminCaller caller, String id, Instant at) {
        Instant now = clock.instant();
        Instant sendAt = at == null || at.isBefore(now) ? now : at;
        if (sendAt.isAfter(now.plus(LATEST_SEND_AT))) {
            throw new InvalidInputException("at", "A campaign can be scheduled up to a year ahead.");
        }
        requirePostalAddress();
        Campaign before = get(id);
        if (!store.transition(id, EnumSet.of(Campaign.Status.DRAFT, Campaign.Status.SCHEDULED),
                Campaign.Status.SCHEDULED, sendAt, before.status() == Campaign.Status.DRAFT,
                line(caller, id, "campaign.scheduled", null, Json.write(Map.of("sendAt", sendAt.toString()))))) {
            throw new ConflictException(before.status() == Campaign.Status.SENT ? sentAlready(before)
                    : "Only a draft or a scheduled campaign can be sent; this one is " + before.status() + ".");
        }
        return get(id);
    }

    public Campaign pause(AdminCaller caller, String id) {
        return change(caller, id, EnumSet.of(Campaign.Status.SCHEDULED, Campaign.Status.SENDING,
                Campaign.Status.DISPATCHED), Campaign.Status.PAUSED, null, false, "campaign.paused");
    }

    /**
     * A campaign paused before its time waits for that time again; one paused on or after it goes
     * on now, with a new pass over the audience from its start (the send records skip everyone
     * already reached).
     */
    public Campaign resume(AdminCaller caller, String id) {
        Instant now = clock.instant();
        Instant sendAt = get(id).sendAt();
        if (sendAt != null && sendAt.isAfter(now)) {
            return change(caller, id, EnumSet.of(Campaign.Status.PAUSED), Campaign.Status.SCHEDULED, sendAt, false,
                    "campaign.resumed");
        }
        return change(caller, id, EnumSet.of(Campaign.Status.PAUSED), Campaign.Status.SENDING, now, true,
                "campaign.resumed");
    }

    public Campaign cancel(AdminCaller caller, String id) {
        return change(caller, id, EnumSet.of(Campaign.Status.DRAFT, Campaign.Status.SCHEDULED, Campaign.Status.SENDING,
                Campaign.Status.DISPATCHED, Campaign.Status.PAUSED), Campaign.Status.CANCELLED, null, false,
                "campaign.cancelled");
    }

    private Campaign change(AdminCaller caller, String id, EnumSet<Campaign.Status> from, Campaign.Status to,
                            Instant sendAt, boolean newPass, String action) {
        Campaign before = get(id);
        if (!store.transition(id, from, to, sendAt, newPass, line(caller, id, action,
                Json.write(Map.of("status", before.status().name())), Json.write(Map.of("status", to.name()))))) {
            throw new ConflictException(before.status() == Campaign.Status.SENT ? sentAlready(before)
                    : "A " + before.status().name().toLowerCase(java.util.Locale.ROOT)
                    + " campaign cannot be " + to.name().toLowerCase(java.util.Locale.ROOT) + ".");
        }
        return get(id);
    }

    /** SENT is final: nothing is left to pause, resume, cancel or send again. */
    private static String sentAlready(Campaign campaign) {
        return "This campaign has been sent to all its recipients"
                + (campaign.finishedAt() == null ? "" : " (finished " + campaign.finishedAt() + ")")
                + "; it cannot be paused, resumed, cancelled or sent again.";
    }

    private void requirePostalAddress() {
        if (!mails.hasPostalAddress()) {
            throw new ConflictException("Campaign mail must carry the shop's postal address: set the ShopPostalAddress"
                    + " parameter and deploy again.");
        }
    }

    /** The trail line of an action; the store writes a change's line with the change itself. */
    private AdminAction line(AdminCaller caller, String id, String action, String before, String after) {
        Instant now = clock.instant();
        return AdminAction.by(caller, "CAMPAIGN#" + id, action, now, before, after,
                RetentionSchedule.CAMPAIGN.expiresAt(now));
    }
}
