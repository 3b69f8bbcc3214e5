package shop.campaigns.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import shop.core.email.EmailAddress;
import shop.core.json.Json;
import shop.core.mail.BackOfficeLinks;
import shop.core.mail.Email;
import shop.core.mail.SendClaim;
import shop.core.security.AddressHasher;
import shop.local.stack.MutableClock;

class FeedbackServiceTest {
    private static final Path EVENTS = Path.of("../../events/campaigns");
    private static final AddressHasher HASHER = new AddressHasher("test-key-test-key-test-key-test-key-0123");

    static final class Recorded implements MailFeedback {
        final Set<String> seen = new HashSet<>();
        final Map<String, String> suppressed = new HashMap<>();
        final Map<String, Integer> counts = new HashMap<>();

        @Override
        public boolean firstTime(String messageId, String type, String addressHash, Instant now) {
            return seen.add(messageId + type + addressHash);
        }

        @Override
        public boolean firstTimeCounted(String messageId, String type, String addressHash, Instant now,
                                        String campaignId, String counter) {
            if (!firstTime(messageId, type, addressHash, now)) {
                return false;
            }
            counts.merge(campaignId + ":" + counter, 1, Integer::sum);
            return true;
        }

        /** The event's record as the claim of the owner's mail: CLAIMED at a time, or SENT. */
        final Map<String, Instant> claimedAt = new HashMap<>();

        @Override
        public SendClaim claimOwnerMail(String messageId, String type, String addressHash, String token, Instant now,
                                        Instant staleBefore) {
            String key = messageId + type + addressHash;
            if (seen.add(key)) {
                claimedAt.put(key, now);
                return SendClaim.CLAIMED;
            }
            Instant claimed = claimedAt.get(key);
            if (claimed == null) {
                return SendClaim.ALREADY_SENT;
            }
            if (claimed.getEpochSecond() < staleBefore.getEpochSecond()) {
                claimedAt.put(key, now);
                return SendClaim.CLAIMED;
            }
            return SendClaim.HELD_ELSEWHERE;
        }

        @Override
        public void ownerMailSent(String messageId, String type, String addressHash, String ownerMessageId, Instant at) {
            claimedAt.remove(messageId + type + addressHash);
        }

        @Override
        public void suppress(String addressHash, String reason, Instant at) {
            suppressed.putIfAbsent(addressHash, reason);
        }
    }

    private final Recorded feedback = new Recorded();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    private final List<Email> mails = new ArrayList<>();
    private final FeedbackService service = new FeedbackService(feedback, mail -> {
        mails.add(mail);
        return "m" + mails.size();
    }, new EmailAddress("owner@example.com"), HASHER, clock, BackOfficeLinks.at("https://admin.example.com/"));

    private static SesEvent sample(String name) throws Exception {
        JsonNode event = Json.mapper().readTree(Files.readString(EVENTS.resolve("ses-" + name)));
        return SesEvents.parse(event);
    }

    private static String hash(String address) {
        return HASHER.hash(new EmailAddress(address));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bounce-permanent.json", "complaint.json"})
    void aPermanentBounceOrAComplaintSuppressesWithItsReasonOnce(String name) throws Exception {
        SesEvent event = sample(name);
        service.handle(event);
        service.handle(event);
        String address = event.recipients().get(0);
        assertEquals(name.startsWith("bounce") ? "bounce" : "complaint", feedback.suppressed.get(hash(address)));
        String counter = name.startsWith("bounce") ? "bounced" : "complained";
        assertEquals(Map.of(event.campaignId().orElseThrow() + ":" + counter, 1), feedback.counts);
        assertTrue(mails.isEmpty(), "a campaign mail's bounce is not the owner's business");
    }

    @Test
    void aTransientBounceIsOnlyCounted() throws Exception {
        SesEvent event = sample("bounce-transient.json");
        service.handle(event);
        assertTrue(feedback.suppressed.isEmpty());
        assertEquals(1, feedback.counts.get(event.campaignId().orElseThrow() + ":softBounced"));
    }

    @Test
    void aDeliveryIsCounted() throws Exception {
        SesEvent event = sample("delivery.json");
        service.handle(event);
        service.handle(event);
        assertEquals(1, feedback.counts.get(event.campaignId().orElseThrow() + ":delivered"));
    }

    @Test
    void anOrderMailsBounceIsMailedToTheOwnerOnce() throws Exception {
        SesEvent event = sample("order-mail-bounce.json");
        assertEquals("1042", event.orderNumber().orElseThrow());
        service.handle(event);
        service.handle(event);
        assertEquals(1, mails.size());
        assertEquals("owner@example.com", mails.get(0).to().value());
        assertTrue(mails.get(0).text().contains("jane.doe@gmial.com"), "the owner needs the address to spot the typo");
        assertTrue(mails.get(0).text().contains("reach them another way"), mails.get(0).text());
        assertTrue(mails.get(0).text().contains("Then correct the email on the order in the back office"),
                "what to do with the right address: " + mails.get(0).text());
        assertTrue(mails.get(0).html().contains("&quot;Correct the customer&#39;s email&quot;"), mails.get(0).html());
        assertTrue(mails.get(0).text().contains("The order in the back office: https://admin.example.com/#number=1042"),
                "one tap to the order on the admin page: " + mails.get(0).text());
        assertTrue(mails.get(0).html().contains("<a href=\"https://admin.example.com/#number=1042\">"), mails.get(0).html());
        assertEquals("bounce", feedback.suppressed.get(hash("jane.doe@gmial.com")));
    }

    @Test
    void whenTheOwnerMailFails_theRetryAfterTheStaleLimitMailsOnce() throws Exception {
        SesEvent event = sample("order-mail-bounce.json");
        var failing = new FeedbackService(feedback, mail -> {
            throw new IllegalStateException("SES down");
        }, new EmailAddress("owner@example.com"), HASHER, clock);
        assertThrows(IllegalStateException.class, () -> failing.handle(event), "SES down: Lambda retries the event");
        clock.advance(FeedbackService.OWNER_MAIL_STALE_AFTER.plusSeconds(1));
        service.handle(event);
        service.handle(event);
        assertEquals(1, mails.size());
    }

    /**
     * A duplicate of the event while another invocation holds the claim (sending right now) mails
     * nothing and fails, so that its retry checks that the mail went out; that retry, past the
     * stale limit, mails the owner if the holder stopped before SES accepted it.
     */
    @Test
    void aDuplicateWhileTheClaimIsFreshFailsAndItsRetryMailsWhenTheHolderStopped() throws Exception {
        SesEvent event = sample("order-mail-bounce.json");
        var stopped = new FeedbackService(feedback, mail -> {
            throw new IllegalStateException("the execution environment is gone");
        }, new EmailAddress("owner@example.com"), HASHER, clock);
        assertThrows(IllegalStateException.class, () -> stopped.handle(event));
        clock.advance(FeedbackService.OWNER_MAIL_STALE_AFTER.minusSeconds(1));
        assertThrows(IllegalStateException.class, () -> service.handle(event), "held elsewhere: retried later");
        assertTrue(mails.isEmpty());
        clock.advance(Duration.ofSeconds(2));
        service.handle(event);
        assertEquals(1, mails.size());
        clock.advance(Duration.ofHours(1));
        service.handle(event);
        assertEquals(1, mails.size(), "sent: a later duplicate mails no one");
    }
}
