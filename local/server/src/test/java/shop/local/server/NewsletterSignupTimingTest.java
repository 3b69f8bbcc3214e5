package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static shop.local.server.TimingStatistics.median;
import static shop.local.server.TimingStatistics.probabilityOfBeingSlower;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.local.server.TimingStatistics.Answer;
import shop.local.stack.LocalAws;
import shop.local.stack.SentMail;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 13, finding 4: the newsletter form's answer cannot tell whether an address subscribes.
 * Through the local API server, signups for new addresses, for addresses already confirmed and
 * for suppressed addresses (unsubscribed, erased, complained) get the same status, body and
 * headers, and their response times come from one distribution. Before, a confirmed address
 * was answered after two calls and any other after four writes and a SendEmail.
 *
 * <p>The three kinds are interleaved in a shuffled order, each request from a loopback address
 * of its own (so the per-IP limit is met by none), and compared pairwise with the rank statistic
 * of {@link AccountSignInTimingTest}: P(one kind's request is the slower of a pair) must be
 * 0.5 ± 0.2 (with 48 of each its standard deviation when alike is about 0.06). As a check that
 * the comparison can see a difference at all, it must find requests that do less work (over the
 * per-IP limit: nothing queued) faster. Behind the answer the signup function did differ: a mail
 * for the new and the suppressed, none for the confirmed.
 */
@ExtendWith(RunningShopExtension.class)
@ShopEnvironment(freshSourceIpLimits = true)
class NewsletterSignupTimingTest {
    private static final int CONFIRMED = 16;
    private static final int ROUNDS = 48;
    private static final int WARM_UP_ROUNDS = 4;

    private enum Kind { NEW, CONFIRMED, SUPPRESSED }

    @ShopFixture private static LocalAws aws;
    @ShopFixture private static RunningShop running;

    /** This class's many requests from 127.0.0.1 do not count against the next class's. */
    @AfterAll
    static void forgetTheCounters() {
        SourceIpLimits.startFresh(aws);
    }

    @Test
    void newConfirmedAndSuppressedAddressesGetTheSameAnswerInTheSameTime() throws Exception {
        List<String> confirmed = new ArrayList<>();
        for (int i = 0; i < CONFIRMED; i++) {
            String email = ShopClient.email();
            running.person().subscribe(email);
            confirmed.add(email);
        }
        String table = aws.physicalName("SubscribersTable");
        List<String> suppressed = new ArrayList<>();
        for (int i = 0; i < WARM_UP_ROUNDS + ROUNDS; i++) {
            String email = "suppressed-" + ShopClient.email();
            aws.dynamo().putItem(b -> b.tableName(table).item(Map.of(
                    "pk", AttributeValue.fromS("SUPPRESSION#" + PrivacyClient.hashOf(email)),
                    "reason", AttributeValue.fromS("unsubscribe"),
                    "since", AttributeValue.fromS(java.time.Instant.now().minusSeconds(3600).toString()))));
            suppressed.add(email);
        }
        ShopClient.awaitSignupsHandled(aws);
        Map<String, Integer> mailsBefore = mailCounts();

        Map<Kind, List<Long>> nanos = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            nanos.put(kind, new ArrayList<>());
        }
        List<String> fresh = new ArrayList<>();
        Answer reference = null;
        Random random = new Random(4);
        for (int round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
            String newAddress = "new-" + ShopClient.email();
            fresh.add(newAddress);
            Map<String, Kind> batch = new HashMap<>(Map.of(newAddress, Kind.NEW,
                    confirmed.get(round % CONFIRMED), Kind.CONFIRMED, suppressed.get(round), Kind.SUPPRESSED));
            List<String> order = new ArrayList<>(batch.keySet());
            Collections.shuffle(order, random);
            for (String email : order) {
                Answer answer = signUp(LoopbackClient.newAddress(), email);
                reference = reference == null ? answer : reference;
                assertEquals(reference.status(), answer.status(), email);
                assertEquals(reference.body(), answer.body(), email);
                assertEquals(reference.headers(), answer.headers(), email);
                if (round >= WARM_UP_ROUNDS) {
                    nanos.get(batch.get(email)).add(answer.nanos());
                }
            }
        }
        assertEquals(202, reference.status());
        assertEquals("{\"status\":\"pending\"}", reference.body());

        StringBuilder summary = new StringBuilder();
        for (Kind kind : Kind.values()) {
            summary.append(kind).append(": median ").append(median(nanos.get(kind)) / 1_000).append(" µs; ");
        }
        double confirmedSlower = probabilityOfBeingSlower(nanos.get(Kind.CONFIRMED), nanos.get(Kind.NEW));
        double suppressedSlower = probabilityOfBeingSlower(nanos.get(Kind.SUPPRESSED), nanos.get(Kind.NEW));
        double confirmedThanSuppressed = probabilityOfBeingSlower(nanos.get(Kind.CONFIRMED), nanos.get(Kind.SUPPRESSED));
        summary.append("P(confirmed slower than new) = ").append(confirmedSlower)
                .append(", P(suppressed slower than new) = ").append(suppressedSlower)
                .append(", P(confirmed slower than suppressed) = ").append(confirmedThanSuppressed);
        System.out.println("Newsletter signup timing: " + summary);
        assertTrue(Math.abs(confirmedSlower - 0.5) <= 0.2, summary.toString());
        assertTrue(Math.abs(suppressedSlower - 0.5) <= 0.2, summary.toString());
        assertTrue(Math.abs(confirmedThanSuppressed - 0.5) <= 0.2, summary.toString());

        // Behind the same answer, the signup function did what each state calls for.
        ShopClient.awaitSignupsHandled(aws);
        Map<String, Integer> mails = mailCounts();
        for (String email : fresh) {
            assertEquals(1, mails.getOrDefault(email, 0), "a new address gets its confirmation mail: " + email);
        }
        for (String email : suppressed) {
            assertEquals(1, mails.getOrDefault(email, 0), "a fresh signup of a suppressed address asks again: " + email);
        }
        for (String email : confirmed) {
            assertEquals(mailsBefore.get(email), mails.get(email), "a confirmed address gets no new mail: " + email);
        }
    }

    /** The comparison's power: signups over the per-IP limit queue nothing, and it sees them as faster. */
    @Test
    void theComparisonSeesARequestThatQueuesNothingAsFaster() throws Exception {
        String limitedIp = LoopbackClient.newAddress();
        for (int i = 0; i < 20; i++) {
            assertEquals(202, signUp(limitedIp, "filler-" + ShopClient.email()).status());
        }
        ShopClient.awaitSignupsHandled(aws);
        Map<String, Integer> before = mailCounts();

        List<Long> limitedNanos = new ArrayList<>();
        List<Long> newNanos = new ArrayList<>();
        List<String> limited = new ArrayList<>();
        Random random = new Random(5);
        for (int round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
            List<Boolean> order = new ArrayList<>(List.of(true, false));
            Collections.shuffle(order, random);
            for (boolean overTheLimit : order) {
                String email = (overTheLimit ? "limited-" : "new-") + ShopClient.email();
                Answer answer = signUp(overTheLimit ? limitedIp : LoopbackClient.newAddress(), email);
                assertEquals(202, answer.status());
                if (overTheLimit) {
                    limited.add(email);
                }
                if (round >= WARM_UP_ROUNDS) {
                    (overTheLimit ? limitedNanos : newNanos).add(answer.nanos());
                }
            }
        }
        double limitedSlower = probabilityOfBeingSlower(limitedNanos, newNanos);
        System.out.println("Newsletter signup timing, over the per-IP limit: median " + median(limitedNanos) / 1_000
                + " µs, new: median " + median(newNanos) / 1_000 + " µs, P(limited slower than new) = " + limitedSlower);
        assertTrue(limitedSlower < 0.35, "the comparison sees a request that queues nothing as faster: P = " + limitedSlower);

        ShopClient.awaitSignupsHandled(aws);
        Map<String, Integer> after = mailCounts();
        for (String email : limited) {
            assertEquals(before.getOrDefault(email, 0), after.getOrDefault(email, 0), "over the limit: no mail to " + email);
        }
    }

    private static Answer signUp(String sourceIp, String email) throws Exception {
        Map<String, String> requestHeaders = Map.of("content-type", "application/json", "user-agent", "timing-browser/1.0");
        String body = "{\"email\":\"" + email + "\",\"consent\":true,\"ageConfirmed\":true,\"source\":\"timing\"}";
        URI uri = URI.create(running.baseUri() + "/newsletter/subscriptions");
        long start = System.nanoTime();
        var response = LoopbackClient.send(sourceIp, "POST", uri, requestHeaders, body);
        long nanos = System.nanoTime() - start;
        return Answer.of(response, nanos);
    }

    /** Mails per recipient address (lower case), read once. */
    private static Map<String, Integer> mailCounts() {
        Map<String, Integer> counts = new HashMap<>();
        for (SentMail mail : aws.mailbox().all()) {
            for (String to : mail.to()) {
                String address = to.trim().toLowerCase(java.util.Locale.ROOT);
                if (address.endsWith(">")) {
                    address = address.substring(address.lastIndexOf('<') + 1, address.length() - 1);
                }
                counts.merge(address, 1, Integer::sum);
            }
        }
        return counts;
    }
}
