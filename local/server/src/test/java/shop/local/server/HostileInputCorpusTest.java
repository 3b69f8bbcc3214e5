package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import shop.commerce.Money;
import shop.commerce.catalog.Product;
import shop.local.stack.CfnTemplate;
import shop.local.stack.LocalAdmins;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.SentMail;
import shop.local.stack.StripeStandIn;
import shop.visits.DynamoPartnerKeyStore;
import shop.visits.PartnerKeys;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The hostile-input corpus: every case of {@code src/test/resources/hostile/*.yaml} sent through
 * the local API server, on top of real data (a subscriber, products, a paid order, a finished
 * privacy request, partner keys). Each must answer the 4xx its file names, with a problem body
 * for API routes or a page for links, and write nothing: every table and bucket of
 * template.yaml, every queue, the mailbox and the Stripe stand-in are compared before and after
 * each case.
 */
@ExtendWith(LocalAwsExtension.class)
class HostileInputCorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CORPUS = Path.of("src/test/resources/hostile");
    private static final Pattern REPEAT = Pattern.compile("\\$\\{repeat\\((\\d+),(.*?)\\)}", Pattern.DOTALL);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z-]+)}");
    private static final int BATCH = 25;
    private static final Pattern TOKEN = Pattern.compile("[?&]token=([A-Za-z0-9_-]+)");

    private static LocalAws aws;
    private static LocalApiServer server;
    private static PrivacyClient privacy;
    private static ExecutorService scanners;
    private static final Map<String, String> seeded = new LinkedHashMap<>();
    private static Instant started;
    private static Snapshot last;

    private static int tried;
    private static int serverErrors;
    private static int itemsWritten;
    private static int mailsSent;
    private static long corpusStartedNanos;

    @BeforeAll
    static void startAndSeed(LocalAws localAws) throws Exception {
        aws = localAws;
        SourceIpLimits.startFresh(aws);
        started = Instant.now().minusSeconds(1);
        LocalFunctions functions = new LocalFunctions(aws, aws.template(), Map.of());
        server = LocalApiServer.start(functions, 0);
        privacy = new PrivacyClient(aws, server.baseUri());
        scanners = Executors.newFixedThreadPool(8);
        ShopClient shop = new ShopClient(aws, server.baseUri());

        // Data a wrongly accepted request would change: stock, a subscriber, an order, an export.
        seeded.put("sku", shop.piece(5));
        seeded.put("sold-out-sku", shop.piece(0));
        String eur = "EUR-" + shop.piece(1);
        shop.products().save(new Product(eur, "Piece " + eur, "Priced in euros.", Money.of(9900, "EUR"), 3,
                List.of(), true), true);
        seeded.put("eur-sku", eur);

        // The signup mail and the order mail come from their queues' functions; the corpus itself
        // runs without pollers, so a message a rejected request queued would stay to be counted.
        SqsPoller pollers = SqsPoller.start(functions);
        String subscriber = "corpus-" + ShopClient.email();
        try {
            privacy.subscribe(subscriber);
            seeded.put("email", subscriber);
            SentMail signup = privacy.newest(subscriber, "Please confirm your subscription");
            seeded.put("confirm-token", token(PrivacyClient.link(signup.text(), "/newsletter/confirm")));
            seeded.put("unsubscribe-token", token(signup.headers().get("List-Unsubscribe")));

            String session = shop.startCheckout(shop.piece(1), subscriber);
            HttpResponse<String> paid = shop.payByCard(session);
            assertEquals(303, paid.statusCode(), paid.body());
            seeded.put("order-session", session);
            seeded.put("order-number", shop.order(session).number());
            shop.awaitQueueDrained();
        } finally {
            pollers.close();
        }

        // A live account session of the subscriber (who has an order), signed in with the mailed code.
        seeded.put("account-token", shop.signIn(subscriber));

        String verify = requestAndConfirm(subscriber, "access");
        seeded.put("used-verify-token", token(verify));
        seeded.put("completed-request-id", privacy.newestRequestOf(PrivacyClient.hashOf(subscriber)).get("requestId").s());
        seeded.put("export-token", token(PrivacyClient.link(
                privacy.newest(subscriber, "Your privacy request to").text(), "/privacy/exports")));
        String deactivated = "corpus-" + ShopClient.email();
        requestAndConfirm(deactivated, "opt_out");
        seeded.put("deactivated-email", deactivated);

        var keys = new DynamoPartnerKeyStore(aws.dynamo(), aws.physicalName("StatsTable"));
        String partnerKey = new PartnerKeys(keys).create("Corpus partner");
        seeded.put("partner-key", partnerKey);
        seeded.put("partner-key-id", partnerKey.substring(0, partnerKey.indexOf('.')));
        String revoked = new PartnerKeys(keys).create("Corpus partner, revoked");
        keys.revoke(revoked.substring(0, revoked.indexOf('.')));
        seeded.put("revoked-partner-key", revoked);

        // The back office: real tokens of the local owner and staff, and bad ones.
        LocalAdmins admins = aws.admins();
        String staffToken = admins.signIn(LocalAdmins.STAFF.username()).accessToken();
        seeded.put("owner-token", admins.signIn(LocalAdmins.OWNER.username()).accessToken());
        seeded.put("staff-token", staffToken);
        String otherClient = admins.cognito().createUserPoolClient(b -> b.userPoolId(admins.poolId())
                .clientName("corpus-other-app").explicitAuthFlowsWithStrings("ALLOW_USER_PASSWORD_AUTH",
                        "ALLOW_REFRESH_TOKEN_AUTH")).userPoolClient().clientId();
        seeded.put("other-client-token", admins.signIn(otherClient, LocalAdmins.STAFF.username(),
                LocalAdmins.STAFF.password(), admins.totpSecret(LocalAdmins.STAFF.username())).accessToken());
        String[] parts = staffToken.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String promoted = Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.replace("\"staff\"", "\"owners\"").getBytes(StandardCharsets.UTF_8));
        seeded.put("tampered-token", parts[0] + "." + promoted + "." + parts[2]);
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("dummy").build(),
                JWTClaimsSet.parse(payload.replace("\"staff\"", "\"owners\"")));
        forged.sign(new RSASSASigner(new RSAKeyGenerator(2048).keyID("dummy").generate()));
        seeded.put("forged-token", forged.serialize());
        seeded.put("unsigned-token", Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + promoted + ".");
        seeded.put("owner-email", LocalAdmins.OWNER.username());
        seeded.put("staff-email", LocalAdmins.STAFF.username());

        last = Snapshot.take();
    }

    @AfterAll
    static void report() {
        System.out.printf("Hostile input corpus: %d cases tried, %d answered 5xx, %d items written by rejected"
                + " requests, %d messages sent, in %d ms%n", tried, serverErrors, itemsWritten, mailsSent,
                (System.nanoTime() - corpusStartedNanos) / 1_000_000);
        if (scanners != null) {
            scanners.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
    }

    @TestFactory
    Stream<DynamicContainer> everyHostileRequestIsA4xxThatWritesNothing() throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(CORPUS)) {
            files = listed.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        List<List<Case>> byFile = files.stream().map(Case::load).toList();
        int total = byFile.stream().mapToInt(List::size).sum();
        assertTrue(total >= 300, "the corpus has " + total + " cases; the issue asks for 300 or more");
        for (String route : server.routeKeys()) {
            Pattern path = Pattern.compile(route.substring(route.indexOf(' ') + 1).replaceAll("\\{[^}]+}", "[^/?]+")
                    + "(\\?.*)?");
            assertTrue(byFile.stream().flatMap(List::stream).anyMatch(c -> path.matcher(expand(c.path(), "")).matches()),
                    route + " is in template.yaml but no case of the corpus calls it");
        }
        return byFile.stream().map(cases -> DynamicContainer.dynamicContainer(cases.get(0).file(), batches(cases)));
    }

    /**
     * Each case is a test of its answer; every {@value #BATCH} cases a test compares everything
     * with the snapshot before them. A full snapshot per case would take most of the run. When a
     * batch changed something, its cases are sent again one at a time, each between two
     * snapshots, to name the one that writes.
     */
    private static Stream<DynamicTest> batches(List<Case> cases) {
        List<DynamicTest> tests = new ArrayList<>();
        for (int from = 0; from < cases.size(); from += BATCH) {
            List<Case> batch = cases.subList(from, Math.min(cases.size(), from + BATCH));
            batch.forEach(c -> tests.add(DynamicTest.dynamicTest(c.name(), () -> answers(c))));
            tests.add(DynamicTest.dynamicTest("nothing written by \"" + batch.get(0).name() + "\" to \""
                    + batch.get(batch.size() - 1).name() + "\"", () -> wroteNothing(batch)));
        }
        return tests.stream();
    }

    private static void answers(Case hostile) throws Exception {
        if (tried == 0) {
            corpusStartedNanos = System.nanoTime();
        }
        tried++;
        Answer response = send(hostile);
        if (response.status() >= 500) {
            serverErrors++;
        }
        String seen = hostile.name() + " -> " + response.status() + " " + response.body();
        assertEquals(hostile.status(), response.status(), seen);
        assertTrue(response.status() >= 400 && response.status() < 500, "a 4xx: " + seen);
        switch (hostile.answer()) {
            case "page" -> {
                assertTrue(response.header("content-type").startsWith("text/html"), seen);
                assertTrue(!response.header("content-security-policy").isEmpty(), "a page with a CSP: " + seen);
                assertEquals("no-store", response.header("cache-control"), seen);
            }
            case "problem" -> {
                assertEquals("application/problem+json", response.header("content-type"), seen);
                JsonNode problem = JSON.readTree(response.body());
                assertEquals(hostile.status(), problem.path("status").asInt(), seen);
                assertTrue(problem.path("detail").asText().length() > 10, "a detail a developer can act on: " + seen);
            }
            case "gateway" -> {
                // API Gateway's own refusal (the JWT authorizer): no function ran.
                assertEquals("application/json", response.header("content-type"), seen);
                assertEquals(response.status() == 401 ? "{\"message\":\"Unauthorized\"}" : "{\"message\":\"Forbidden\"}",
                        response.body(), seen);
                assertTrue(response.header("www-authenticate").startsWith("Bearer"), seen);
            }
            case "server" -> {
                // Refused by the HTTP server before any route, as API Gateway's edge refuses it.
            }
            default -> throw new IllegalStateException(hostile.name() + ": unknown answer " + hostile.answer());
        }
    }

    private static void wroteNothing(List<Case> batch) throws Exception {
        Snapshot before = last;
        Snapshot after = Snapshot.take();
        last = after;
        List<String> written = before.differences(after);
        itemsWritten += written.size();
        mailsSent += after.mails() - before.mails();
        if (written.isEmpty() && after.mails() == before.mails()) {
            return;
        }
        List<String> culprits = new ArrayList<>();
        for (Case hostile : batch) {
            Snapshot replayBefore = last;
            send(hostile);
            last = Snapshot.take();
            List<String> again = replayBefore.differences(last);
            if (!again.isEmpty() || last.mails() != replayBefore.mails()) {
                culprits.add(hostile.name() + " wrote " + again + " and sent " + (last.mails() - replayBefore.mails())
                        + " mail(s)");
            }
        }
        fail("rejected requests wrote " + written + " and sent " + (after.mails() - before.mails())
                + " mail(s); sent again one by one: " + (culprits.isEmpty() ? "none wrote a second time" : culprits));
    }

    /**
     * Over a plain socket, so that what goes on the wire is exactly the case: java.net.URI and
     * HttpClient refuse malformed escapes such as %zz, which hostile clients send anyway.
     */
    private static Answer send(Case hostile) throws IOException {
        byte[] body = hostile.body();
        String text = new String(body, StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(hostile.method()).append(' ').append(expand(hostile.path(), ""))
                .append(" HTTP/1.1\r\nHost: localhost:").append(server.port()).append("\r\nConnection: close\r\n");
        if (body.length > 0 || hostile.sendsEmptyBody()) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        hostile.headers().forEach((name, value) -> head.append(name).append(": ").append(expand(value, text)).append("\r\n"));
        head.append("\r\n");
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            return Answer.parse(socket.getInputStream().readAllBytes());
        }
    }

    /** An HTTP response as read off the socket: status, headers (names lower-cased) and body. */
    record Answer(int status, Map<String, String> headers, String body) {
        static Answer parse(byte[] raw) {
            String all = new String(raw, StandardCharsets.UTF_8);
            int split = all.indexOf("\r\n\r\n");
            if (split < 0) {
                throw new AssertionError("not an HTTP response: " + all);
            }
            String[] lines = all.substring(0, split).split("\r\n");
            Map<String, String> headers = new TreeMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, all.substring(split + 4));
        }

        String header(String name) {
            return headers.getOrDefault(name, "");
        }
    }

    /** Fills in ${repeat(n,text)}, the seeded values and Stripe signatures made over {@code body}. */
    static String expand(String template, String body) {
        Matcher repeat = REPEAT.matcher(template);
        StringBuilder repeated = new StringBuilder();
        while (repeat.find()) {
            repeat.appendReplacement(repeated, Matcher.quoteReplacement(
                    repeat.group(2).repeat(Integer.parseInt(repeat.group(1)))));
        }
        repeat.appendTail(repeated);
        Matcher m = PLACEHOLDER.matcher(repeated);
        StringBuilder out = new StringBuilder();
        long now = Instant.now().getEpochSecond();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "stripe-signature" -> StripeStandIn.signature(body, StripeStandIn.WEBHOOK_SECRET, now);
                case "stripe-signature-stale" -> StripeStandIn.signature(body, StripeStandIn.WEBHOOK_SECRET, now - 301);
                case "stripe-signature-tampered" -> StripeStandIn.signature(body + " ", StripeStandIn.WEBHOOK_SECRET, now);
                case "stripe-signature-other-secret" -> StripeStandIn.signature(body, "whsec_someone_else", now);
                default -> Objects.requireNonNull(seeded.get(m.group(1)), "no seeded value " + m.group(0));
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String requestAndConfirm(String email, String type) throws Exception {
        HttpResponse<String> submitted = privacy.request(email, type);
        assertEquals(202, submitted.statusCode(), submitted.body());
        String link = privacy.verificationLink(email);
        HttpResponse<String> done = privacy.confirm(link);
        assertEquals(200, done.statusCode(), done.body());
        return link;
    }

    private static String token(String link) {
        Matcher m = TOKEN.matcher(link);
        if (!m.find()) {
            throw new AssertionError("no token in " + link);
        }
        return m.group(1);
    }

    /** One case of a corpus file, with the file's defaults applied. */
    record Case(String file, String name, String method, String path, Map<String, String> headers, String text,
                String base64, int status, String answer) {

        @SuppressWarnings("unchecked")
        static List<Case> load(Path file) {
            Map<String, Object> root;
            try {
                root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, Object> defaults = (Map<String, Object>) root.getOrDefault("defaults", Map.of());
            List<Case> cases = new ArrayList<>();
            for (Map<String, Object> raw : (List<Map<String, Object>>) root.get("cases")) {
                Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                ((Map<String, Object>) defaults.getOrDefault("headers", Map.of())).forEach((k, v) -> headers.put(k, (String) v));
                ((Map<String, Object>) raw.getOrDefault("headers", Map.of())).forEach((k, v) -> {
                    if (v == null) {
                        headers.remove(k); // "content-type: null" drops a default header
                    } else {
                        headers.put(k, String.valueOf(v));
                    }
                });
                cases.add(new Case(file.getFileName().toString(), (String) raw.get("name"),
                        (String) value(raw, defaults, "method"), (String) value(raw, defaults, "path"),
                        headers, (String) raw.get("body"), (String) raw.get("base64"),
                        (Integer) value(raw, defaults, "status"),
                        String.valueOf(Objects.requireNonNullElse(value(raw, defaults, "answer"), "problem"))));
            }
            TreeSet<String> names = new TreeSet<>();
            cases.forEach(c -> {
                if (c.name() == null || !names.add(c.name())) {
                    throw new IllegalStateException(file + ": a case without a name, or a name twice: " + c.name());
                }
                if (c.status() < 400 || c.status() > 499) {
                    throw new IllegalStateException(file + ": " + c.name() + " expects " + c.status() + ", not a 4xx");
                }
            });
            return cases;
        }

        private static Object value(Map<String, Object> raw, Map<String, Object> defaults, String key) {
            return raw.containsKey(key) ? raw.get(key) : defaults.get(key);
        }

        byte[] body() {
            if (base64 != null) {
                return Base64.getDecoder().decode(base64);
            }
            return text == null ? new byte[0] : expand(text, "").getBytes(StandardCharsets.UTF_8);
        }

        /** {@code body: ''} sends Content-Length: 0, where no body key sends none. */
        boolean sendsEmptyBody() {
            return text != null;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Everything a request could change: every item of every table and every object (key and
     * ETag) of every bucket of template.yaml, the depth of every queue, the mail the SES
     * stand-in accepted, and the Checkout Sessions and customers of the Stripe stand-in.
     */
    record Snapshot(Map<String, TreeSet<String>> stores, int mails) {
        /** Physical names, resolved once: resolving them reads the template each time. */
        private static final Map<String, String> TABLES = new TreeMap<>();
        private static final Map<String, String> BUCKETS = new TreeMap<>();
        private static final Map<String, String> QUEUES = new TreeMap<>();

        static Snapshot take() throws Exception {
            if (TABLES.isEmpty()) {
                aws.template().resourcesOfType(CfnTemplate.TABLE).forEach(t -> TABLES.put(t.logicalId(), aws.physicalName(t.logicalId())));
                aws.template().resourcesOfType(CfnTemplate.BUCKET).forEach(b -> BUCKETS.put(b.logicalId(), aws.physicalName(b.logicalId())));
                aws.template().resourcesOfType(CfnTemplate.QUEUE).forEach(q -> QUEUES.put(q.logicalId(), aws.queueUrl(aws.template(), q.logicalId())));
            }
            Map<String, Future<TreeSet<String>>> reads = new TreeMap<>();
            TABLES.forEach((id, name) -> reads.put(id, scanners.submit(() -> items(name))));
            BUCKETS.forEach((id, name) -> reads.put(id, scanners.submit(() -> objects(name))));
            QUEUES.forEach((id, url) -> reads.put(id, scanners.submit(() -> depth(url))));
            Future<Integer> mails = scanners.submit(() -> aws.mailbox().since(started).size());
            Map<String, TreeSet<String>> stores = new TreeMap<>();
            for (var read : reads.entrySet()) {
                stores.put(read.getKey(), read.getValue().get());
            }
            stores.put("Stripe", new TreeSet<>(List.of("sessions=" + aws.stripe().sessionCount(),
                    "customers=" + aws.stripe().customerIds().size(), "refunds=" + aws.stripe().refundCount())));
            stores.put("Cognito", backOfficeAccounts());
            return new Snapshot(stores, mails.get());
        }

        /** What was added or removed, as "store: + item" lines. */
        List<String> differences(Snapshot after) {
            List<String> changes = new ArrayList<>();
            for (String store : stores.keySet()) {
                TreeSet<String> added = new TreeSet<>(after.stores().get(store));
                added.removeAll(stores.get(store));
                TreeSet<String> removed = new TreeSet<>(stores.get(store));
                removed.removeAll(after.stores().get(store));
                added.forEach(item -> changes.add(store + ": + " + item));
                removed.forEach(item -> changes.add(store + ": - " + item));
            }
            return changes;
        }

        /** The back office's accounts: each user's status and whether enabled, and each group's members. */
        private static TreeSet<String> backOfficeAccounts() {
            TreeSet<String> accounts = new TreeSet<>();
            String pool = aws.admins().poolId();
            aws.cognito().listUsersPaginator(b -> b.userPoolId(pool)).users().forEach(u -> accounts.add(
                    u.username() + " " + u.userStatusAsString() + " enabled=" + u.enabled()));
            aws.cognito().listGroupsPaginator(b -> b.userPoolId(pool)).groups().forEach(g -> aws.cognito()
                    .listUsersInGroupPaginator(b -> b.userPoolId(pool).groupName(g.groupName())).users()
                    .forEach(u -> accounts.add(g.groupName() + ": " + u.username())));
            return accounts;
        }

        private static TreeSet<String> items(String table) {
            TreeSet<String> items = new TreeSet<>();
            for (var page : aws.dynamo().scanPaginator(ScanRequest.builder().tableName(table).build())) {
                page.items().forEach(item -> items.add(new TreeMap<>(item).toString()));
            }
            return items;
        }

        private static TreeSet<String> objects(String bucket) {
            TreeSet<String> objects = new TreeSet<>();
            aws.s3().listObjectsV2Paginator(b -> b.bucket(bucket)).contents()
                    .forEach(object -> objects.add(object.key() + " " + object.eTag() + " " + object.size()));
            return objects;
        }

        private static TreeSet<String> depth(String queueUrl) {
            var attributes = aws.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings(
                    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                    "ApproximateNumberOfMessagesDelayed")).attributesAsStrings();
            // The sum: a message another test left in flight becomes visible again on its own.
            return new TreeSet<>(List.of("messages=" + attributes.values().stream().mapToLong(Long::parseLong).sum()));
        }
    }
}
