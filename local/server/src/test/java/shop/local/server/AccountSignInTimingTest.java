package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static shop.local.server.TimingStatistics.median;
import static shop.local.server.TimingStatistics.probabilityOfBeingSlower;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.local.server.TimingStatistics.Answer;
import shop.local.stack.LocalAws;

/**
 * Asking for a sign-in code cannot tell whether the shop knows an address: through the local API
 * server, requests for addresses with orders and a subscription and for addresses never seen get
 * the same status, body and headers, and their response times come from one distribution.
 *
 * <p>The two kinds are interleaved in a shuffled order, so whatever else the machine does (two
 * cores shared by several builds) falls on both alike. The comparison is rank-based and so
 * indifferent to outliers: the probability that a known address's request is the slower of a
 * pair (the Mann-Whitney U statistic over n1·n2) is 0.5 when the two are alike; with 64 of each,
 * its standard deviation under that hypothesis is about 0.05, and the test accepts 0.5 ± 0.2
 * (four standard deviations). As a check that the comparison can see a difference at all, the
 * same statistic must find requests that do less work (over the per-IP limit: no code stored,
 * no mail sent) faster.
 */
@ExtendWith(RunningShopExtension.class)
@ShopEnvironment(freshSourceIpLimits = true)
class AccountSignInTimingTest {
    private static final int KNOWN = 4;
    private static final int ROUNDS = 16;
    private static final int WARM_UP_ROUNDS = 2;

    @ShopFixture private static LocalAws aws;
    @ShopFixture private static RunningShop running;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** This class's many requests from 127.0.0.1 do not count against the next class's. */
    @AfterAll
    static void forgetTheCounters() {
        SourceIpLimits.startFresh(aws);
    }

    @Test
    void knownAndUnknownAddressesGetTheSameAnswerInTheSameTime() throws Exception {
        ShopClient shop = running.shop();
        List<String> known = new ArrayList<>();
        for (int i = 0; i < KNOWN; i++) {
            String email = ShopClient.email();
            String session = shop.startCheckout(shop.piece(1), email);
            assertEquals(303, shop.payByCard(session).statusCode());
            running.person().subscribe(email);
            known.add(email);
        }

        List<Long> knownNanos = new ArrayList<>();
        List<Long> unknownNanos = new ArrayList<>();
        Answer reference = null;
        Random random = new Random(16);
        for (int round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
            // Every request below the limits, so each does the whole work.
            SourceIpLimits.forget(aws, "RATE#account:");
            List<String> order = new ArrayList<>(known);
            for (int i = 0; i < KNOWN; i++) {
                order.add("never-seen-" + ShopClient.email());
            }
            Collections.shuffle(order, random);
            for (String email : order) {
                Answer answer = signIn(email);
                reference = reference == null ? answer : reference;
                assertEquals(reference.status(), answer.status(), email);
                assertEquals(reference.body(), answer.body(), email);
                assertEquals(reference.headers(), answer.headers(), email);
                if (round >= WARM_UP_ROUNDS) {
                    (known.contains(email) ? knownNanos : unknownNanos).add(answer.nanos());
                }
            }
        }
        assertEquals(202, reference.status());

        double knownSlower = probabilityOfBeingSlower(knownNanos, unknownNanos);
        String summary = "known: median " + median(knownNanos) / 1_000 + " µs, unknown: median " + median(unknownNanos) / 1_000
                + " µs, P(known slower) = " + knownSlower;
        System.out.println("Sign-in timing: " + summary);
        assertTrue(Math.abs(knownSlower - 0.5) <= 0.2, summary);

        // The comparison's power: requests over the per-IP limit store nothing and send no mail.
        SourceIpLimits.forget(aws, "RATE#account:");
        for (int i = 0; i < 30; i++) {
            signIn("filler-" + ShopClient.email());
        }
        List<Long> limitedNanos = new ArrayList<>();
        for (int i = 0; i < ROUNDS * KNOWN; i++) {
            limitedNanos.add(signIn("limited-" + ShopClient.email()).nanos());
        }
        double limitedSlower = probabilityOfBeingSlower(limitedNanos, unknownNanos);
        System.out.println("Sign-in timing, over the limit: median " + median(limitedNanos) / 1_000
                + " µs, P(limited slower than unknown) = " + limitedSlower);
        assertTrue(limitedSlower < 0.35, "the comparison sees a request that stores no code and sends no mail as"
                + " faster: P = " + limitedSlower);
    }

    private static Answer signIn(String email) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(running.baseUri() + "/account/sign-in"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\"}")).build();
        long start = System.nanoTime();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        long nanos = System.nanoTime() - start;
        return Answer.of(response, nanos);
    }
}
