package shop.campaigns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import shop.core.admin.AdminAction;
import shop.core.admin.AdminCaller;
import shop.core.admin.AuditTrail;
import shop.core.email.EmailAddress;
import shop.core.errors.ConflictException;

/** The owner's actions on a campaign's state: schedule, pause, resume, cancel; and the test mail's lines. */
class CampaignServiceTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T09:00:00Z"), ZoneOffset.UTC);
    private static final AdminCaller OWNER = new AdminCaller("owner-sub", "owner", java.util.Set.of("owners"));

    private final Fakes.Campaigns campaigns = new Fakes.Campaigns();
    private final List<AdminAction> trail = new ArrayList<>();
    private final List<String> sent = new ArrayList<>();
    /** SES: accepts each mail, or throws this when set. */
    private RuntimeException sesFailure;
    private final Fakes.People audience = new Fakes.People();
    private final CampaignService service = new CampaignService(campaigns, audience, id -> 0,
            new CampaignMails("Shop", "1 Main St", "https://api.example.com"), mail -> {
                if (sesFailure != null) {
                    throw sesFailure;
                }
                sent.add(mail.to().value());
                return "ses-" + sent.size();
            },
            new EmailAddress("owner@example.com"), new AuditTrail() {
                @Override
                public void record(AdminAction action) {
                    trail.add(action);
                }

                @Override
                public List<AdminAction> of(String subject) {
                    return List.of();
                }
            }, CLOCK);

    @Test
    void aScheduledCampaignPausedAndResumedBeforeItsTimeWaitsForThatTime() {
        var people = new Fakes.People();
        people.confirmed.add("reader@example.com");
        var queue = new Fakes.Queue();
        Campaign draft = service.create(OWNER, new CampaignDraft("Christmas", "<p>Hi</p>", null));
        Instant christmasEve = CLOCK.instant().plus(Duration.ofDays(20));

        service.send(OWNER, draft.id(), christmasEve);
        service.pause(OWNER, draft.id());
        Campaign resumed = service.resume(OWNER, draft.id());

        assertEquals(Campaign.Status.SCHEDULED, resumed.status(), "it had not started: it waits for its time again");
        assertEquals(christmasEve, resumed.sendAt());
        assertEquals(0, new DispatchService(campaigns, people, queue, CLOCK).run(() -> 60_000), "nothing goes out now");
        assertEquals(1, new DispatchService(campaigns, people, queue, Clock.fixed(christmasEve, ZoneOffset.UTC))
                .run(() -> 60_000), "it goes out at its time");
    }

    @Test
    void aCampaignPausedWhileSendingGoesOnAtOnceWhenResumed() {
        Campaign draft = service.create(OWNER, new CampaignDraft("Winter", "<p>Hi</p>", null));
        service.send(OWNER, draft.id(), null);
        campaigns.transition(draft.id(), java.util.Set.of(Campaign.Status.SCHEDULED), Campaign.Status.SENDING, null, false);
        service.pause(OWNER, draft.id());

        Campaign resumed = service.resume(OWNER, draft.id());

        assertEquals(Campaign.Status.SENDING, resumed.status());
        assertEquals(2, resumed.pass(), "a new pass; the send records skip those already reached");
    }

    @Test
    void aSentCampaignIsFinal() {
        var people = new Fakes.People();
        Campaign draft = service.create(OWNER, new CampaignDraft("Summer", "<p>Hi</p>", null));
        service.send(OWNER, draft.id(), null);
        new DispatchService(campaigns, people, new Fakes.Queue(), CLOCK).run(() -> 60_000);
        assertEquals(Campaign.Status.SENT, service.get(draft.id()).status());
        int actionsBefore = campaigns.lines.size() + trail.size();

        for (java.util.function.Supplier<Campaign> action : List.<java.util.function.Supplier<Campaign>>of(
                () -> service.pause(OWNER, draft.id()), () -> service.resume(OWNER, draft.id()),
                () -> service.cancel(OWNER, draft.id()), () -> service.send(OWNER, draft.id(), null))) {
            var refused = assertThrows(ConflictException.class, action::get);
            assertTrue(refused.getMessage().contains("has been sent to all its recipients"), refused.getMessage());
        }
        assertEquals(Campaign.Status.SENT, service.get(draft.id()).status());
        assertEquals(actionsBefore, campaigns.lines.size() + trail.size(), "nothing recorded for a refused action");
    }

    @Test
    void aTestMailIsRecordedAsRequestedBeforeSesAndAsSentWithItsMessageIdAfter() {
        Campaign draft = service.create(OWNER, new CampaignDraft("Spring", "<p>Hi</p>", null));
        trail.clear();

        assertEquals("ses-1", service.sendTest(OWNER, draft.id(), "https://api.example.com"));

        assertEquals(List.of("owner@example.com"), sent);
        assertEquals(List.of("campaign.test_requested", "campaign.test_sent"), trail.stream().map(AdminAction::action)
                .toList());
        assertTrue(trail.stream().allMatch(l -> l.subject().equals("CAMPAIGN#" + draft.id())));
        assertEquals("{\"messageId\":\"ses-1\"}", trail.get(1).after());
    }

    /** SES refuses: the request's line and the failure's, nothing else, and the failure is the answer. */
    @Test
    void aTestMailSesRefusesLeavesTheRequestedLineAndTheFailedLineAndNothingElse() {
        Campaign draft = service.create(OWNER, new CampaignDraft("Spring", "<p>Hi</p>", null));
        trail.clear();
        sesFailure = new IllegalStateException("SES refused");

        assertEquals("SES refused", assertThrows(IllegalStateException.class,
                () -> service.sendTest(OWNER, draft.id(), "https://api.example.com")).getMessage());

        assertEquals(List.of(), sent);
        assertEquals(List.of("campaign.test_requested", "campaign.test_failed"), trail.stream().map(AdminAction::action)
                .toList());
        assertEquals("{\"error\":\"IllegalStateException\"}", trail.get(1).after());
    }

    @Test
    void theAudienceIsEveryConfirmedSubscriberCountedAndOnlyTheCountIsLogged() {
        assertEquals(0, service.audienceSize(), "no one confirmed: the owner sees 0 before sending");
        audience.confirmed.addAll(List.of("ann@example.com", "bo@example.com", "cy@example.com"));
        audience.suppressed.add("cy@example.com");

        var logged = new java.io.ByteArrayOutputStream();
        var stdout = System.out;
        System.setOut(new java.io.PrintStream(logged, true, java.nio.charset.StandardCharsets.UTF_8));
        long counted;
        try {
            counted = service.audienceSize();
        } finally {
            System.setOut(stdout);
        }

        assertEquals(3, counted, "an upper bound: a suppressed address still confirmed is skipped at sending, not here");
        String log = logged.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(log.contains("\"event\":\"campaign_audience_counted\"") && log.contains("\"confirmedSubscribers\":3"), log);
        assertFalse(log.contains("@"), "no address in the log: " + log);
        assertTrue(trail.isEmpty() && campaigns.lines.isEmpty(), "a read: no line in the trail");
    }
}
