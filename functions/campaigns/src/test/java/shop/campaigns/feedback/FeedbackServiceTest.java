package shop.campaigns.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
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
import shop.core.mail.Email;
import shop.core.security.AddressHasher;

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

        @Override
        public void forget(String messageId, String type, String addressHash) {
            seen.remove(messageId + type + addressHash);
        }

        @Override
        public void suppress(String addressHash, String reason, Instant at) {
            suppressed.putIfAbsent(addressHash, reason);
        }
    }

    private final Recorded feedback = new Recorded();
    private final List<Email> mails = new ArrayList<>();
    private final FeedbackService service = new FeedbackService(feedback, mail -> {
        mails.add(mail);
        return "m" + mails.size();
    }, new EmailAddress("owner@example.com"), HASHER, Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC));

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
        assertEquals("bounce", feedback.suppressed.get(hash("jane.doe@gmial.com")));
    }

    @Test
    void whenTheOwnerMailFails_theRedeliveryTriesAgain() throws Exception {
        SesEvent event = sample("order-mail-bounce.json");
        var failing = new FeedbackService(feedback, mail -> {
            throw new IllegalStateException("SES down");
        }, new EmailAddress("owner@example.com"), HASHER, Clock.systemUTC());
        try {
            failing.handle(event);
        } catch (IllegalStateException expected) {
            // SES down: EventBridge retries the event.
        }
        service.handle(event);
        assertEquals(1, mails.size());
    }
}
