package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.stats.DynamoOrderCounter;
import shop.core.config.Env;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.visits.PartnerKeyCommand;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Beacons from a storefront and the statistics a partner reads, through the local API server. */
@ExtendWith(LocalAwsExtension.class)
class VisitsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String BROWSER_A = "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0 e2e-a";
    private static final String BROWSER_B = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15 e2e-b";
    private static LocalApiServer server;
    private static LocalAws aws;
    private static String partnerKey;

    @BeforeAll
    static void start(LocalAws localAws) throws Exception {
        aws = localAws;
        server = LocalApiServer.start(aws, 0);
        partnerKey = command("create", "E2E Gallery").trim();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void beaconsMakeVisitorAndPageViewCountsAndJsonAndCsvAgree() throws Exception {
        JsonNode before = today("application/json");

        assertEquals(204, beacon(BROWSER_A, "/", Map.of()).statusCode());
        assertEquals(204, beacon(BROWSER_A, "/rings?utm_source=mail", Map.of()).statusCode());
        assertEquals(204, beacon(BROWSER_B, "/", Map.of("sec-gpc", "1")).statusCode());

        JsonNode after = today("application/json");
        assertEquals(2, after.get("visitors").asLong() - before.get("visitors").asLong());
        assertEquals(3, after.get("pageViews").asLong() - before.get("pageViews").asLong());

        var csv = stats(LocalDate.now(ZoneOffset.UTC), LocalDate.now(ZoneOffset.UTC), "text/csv", "Bearer " + partnerKey);
        assertEquals(200, csv.statusCode());
        assertTrue(csv.headers().firstValue("content-type").orElse("").startsWith("text/csv"));
        String[] lines = csv.body().split("\r\n");
        assertEquals("date,visitors,pageViews,orders", lines[0]);
        assertEquals(after.get("date").asText() + "," + after.get("visitors").asLong() + ","
                + after.get("pageViews").asLong() + "," + after.get("orders").asLong(), lines[1]);
    }

    @Test
    void optedOutBrowsersAreCountedButNotLoggedAndLogLinesExpireWithin30Days() throws Exception {
        beacon(BROWSER_A + " log-check", "/earrings", Map.of());
        beacon(BROWSER_B + " log-check", "/earrings", Map.of("dnt", "1"));

        List<Map<String, AttributeValue>> logs = aws.dynamo().scan(b -> b.tableName(aws.physicalName("VisitsTable")))
                .items().stream().filter(item -> item.get("pk").s().startsWith("LOG#")).toList();
        assertTrue(logs.stream().anyMatch(item -> item.get("userAgent").s().equals(BROWSER_A + " log-check")));
        assertFalse(logs.stream().anyMatch(item -> item.get("userAgent").s().contains("log-check")
                && item.get("userAgent").s().startsWith(BROWSER_B)), "no log line for a DNT browser");
        long limit = Instant.now().plus(30, ChronoUnit.DAYS).getEpochSecond() + 60;
        for (var item : aws.dynamo().scan(b -> b.tableName(aws.physicalName("VisitsTable"))).items()) {
            long expiresAt = Long.parseLong(item.get("expiresAt").n());
            assertTrue(expiresAt <= limit, item.get("pk").s() + " outlives the 30-day retention");
        }
    }

    @Test
    void theStatisticsNeverCarryAnIpOrUserAgent() throws Exception {
        beacon(BROWSER_A, "/", Map.of());
        var response = stats(LocalDate.now(ZoneOffset.UTC).minusDays(3), LocalDate.now(ZoneOffset.UTC),
                "application/json", "Bearer " + partnerKey);
        for (String forbidden : List.of("127.0.0.1", "e2e-a", "Firefox", "Mozilla", "LOG#", "SEEN#", "salt")) {
            assertFalse(response.body().contains(forbidden), forbidden + " in " + response.body());
        }
        for (JsonNode day : JSON.readTree(response.body())) {
            assertEquals(List.of("date", "visitors", "pageViews", "orders"), iterable(day));
        }
    }

    @Test
    void aWrongMissingOrRevokedKeyIs401() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String wrong = partnerKey.substring(0, partnerKey.indexOf('.') + 1) + "B".repeat(43);
        for (String header : List.of("Bearer " + wrong, "", "Bearer nonsense")) {
            var response = stats(today, today, "application/json", header);
            assertEquals(401, response.statusCode(), header);
            assertEquals("Bearer", response.headers().firstValue("www-authenticate").orElse(""));
        }
        String revoked = command("create", "Short-lived Partner").trim();
        assertEquals(200, stats(today, today, "application/json", "Bearer " + revoked).statusCode());
        command("revoke", revoked.substring(0, revoked.indexOf('.')));
        assertEquals(401, stats(today, today, "application/json", "Bearer " + revoked).statusCode());
    }

    @Test
    void aFloodFromOneIpIsRefusedWith429PastTheLimitAndWritesNothing() throws Exception {
        String visits = aws.physicalName("VisitsTable");
        String stats = aws.physicalName("StatsTable");
        SourceIpLimits.startFresh(aws);
        try {
            // The window is a minute: start early in one, so that the flood and the checks fit in it.
            long second = Instant.now().getEpochSecond() % 60;
            if (second > 20) {
                Thread.sleep((60 - second) * 1000);
            }
            int accepted = 0;
            HttpResponse<String> answer = null;
            for (int i = 0; i < 2 * 121 + 1; i++) {
                answer = beacon(BROWSER_A + " flood", "/flood", Map.of());
                if (answer.statusCode() != 204) {
                    break;
                }
                accepted++;
            }
            assertEquals(429, answer.statusCode(), answer.body());
            assertEquals(120, accepted);
            long retryAfter = Long.parseLong(answer.headers().firstValue("retry-after").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "retry-after " + retryAfter);

            var visitsBefore = aws.dynamo().scan(b -> b.tableName(visits)).items();
            var statsBefore = aws.dynamo().scan(b -> b.tableName(stats)).items();
            for (int i = 0; i < 20; i++) {
                var refused = beacon(BROWSER_A + " flood", "/flood", Map.of());
                assertEquals(429, refused.statusCode());
                assertEquals("application/problem+json", refused.headers().firstValue("content-type").orElse(""));
            }
            assertEquals(visitsBefore, aws.dynamo().scan(b -> b.tableName(visits)).items(), "no log line, no marker");
            assertEquals(statsBefore, aws.dynamo().scan(b -> b.tableName(stats)).items(), "no page view counted");
        } finally {
            SourceIpLimits.startFresh(aws);
        }
    }

    private static JsonNode today(String accept) throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        var response = stats(today, today, accept, "Bearer " + partnerKey);
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get(0);
    }

    @Test
    void partnersReadTheSumOfEveryShardOfTheOrderCounter() throws Exception {
        // A day no other test counts on; 128 orders land in every one of the counter's shards (checked below).
        LocalDate day = LocalDate.of(2030, 3, 1 + (int) (Math.random() * 28));
        var counter = new DynamoOrderCounter(aws.dynamo(), aws.physicalName("StatsTable"));
        long before = counter.orders(day);
        // What a stack deployed before the counter was sharded wrote: one item for the whole day.
        aws.dynamo().putItem(b -> b.tableName(aws.physicalName("StatsTable")).item(Map.of(
                "pk", AttributeValue.fromS("ORDERS#" + day), "orders", AttributeValue.fromN("5"))));
        for (int i = 0; i < 128; i++) {
            counter.count(day, "cs_e2e_shard_" + i);
        }
        counter.count(day, "cs_e2e_shard_0");

        var response = stats(day, day, "application/json", "Bearer " + partnerKey);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(before + 5 + 128, JSON.readTree(response.body()).get(0).get("orders").asLong());
        assertEquals(before + 128, counter.orders(day));
        for (int shard = 0; shard < DynamoOrderCounter.SHARDS; shard++) {
            String pk = DynamoOrderCounter.pk(day, shard);
            assertTrue(aws.dynamo().getItem(b -> b.tableName(aws.physicalName("StatsTable"))
                    .key(Map.of("pk", AttributeValue.fromS(pk)))).hasItem(), "no order in " + pk);
        }
    }

    private static HttpResponse<String> stats(LocalDate from, LocalDate to, String accept, String authorization)
            throws Exception {
        var request = HttpRequest.newBuilder(server.baseUri().resolve("/stats/daily?from=" + from + "&to=" + to))
                .header("accept", accept);
        if (!authorization.isEmpty()) {
            request.header("authorization", authorization);
        }
        return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** As navigator.sendBeacon sends it: a string body, so text/plain. */
    private static HttpResponse<String> beacon(String userAgent, String path, Map<String, String> headers) throws Exception {
        var request = HttpRequest.newBuilder(server.baseUri().resolve("/visits"))
                .header("content-type", "text/plain;charset=UTF-8")
                .header("user-agent", userAgent)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                        Map.of("path", path, "referrer", "https://search.example.net/?q=rings"))));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The documented partner-key command, against the local stack. */
    private static String command(String... args) {
        var out = new ByteArrayOutputStream();
        int status = PartnerKeyCommand.run(args, Env.of(aws.functionEnvironment("VisitsFunction", Map.of())),
                new PrintStream(out), new PrintStream(new ByteArrayOutputStream()));
        assertEquals(0, status);
        return out.toString();
    }

    private static List<String> iterable(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
