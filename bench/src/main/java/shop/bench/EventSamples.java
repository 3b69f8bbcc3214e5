package shop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The sample events of {@code events/<function>/} and fresh copies of them. Replaying one event
 * a thousand times would measure the rate-limited, de-duplicated or sold-out path after the
 * first call; so every invocation gets new addresses, source IPs, message and Stripe event ids,
 * and a Stripe-Signature made for its body with the local signing secret.
 */
final class EventSamples {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EMAIL = Pattern.compile("([A-Za-z0-9._%-]+)@([A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+)");
    private static final Pattern STRIPE_EVENT_ID = Pattern.compile("\\b(evt_[A-Za-z0-9]+)");

    /** Differs between bench runs, in case the services outlive one (AWS_ENDPOINT_URL). */
    private final String runTag = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
    private final AtomicInteger invocations = new AtomicInteger();

    /** The function's sample events that have the shape its trigger delivers, by file name. */
    static List<Path> candidates(FunctionUnderTest function) throws IOException {
        if (!Files.isDirectory(function.eventsDir())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(function.eventsDir())) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted()
                    .filter(p -> suits(function, read(p))).toList();
        }
    }

    /** An event of the kind the function's trigger delivers; for an HTTP API, on one of its routes. */
    private static boolean suits(FunctionUnderTest function, JsonNode event) {
        boolean http = "2.0".equals(event.path("version").asText()) && event.has("requestContext");
        boolean sqs = "aws:sqs".equals(event.path("Records").path(0).path("eventSource").asText());
        boolean schedule = "Scheduled Event".equals(event.path("detail-type").asText());
        return switch (function.trigger()) {
            case HTTP_API -> http && function.routeKeys().contains(event.path("routeKey").asText());
            case SQS -> sqs;
            case SCHEDULE -> schedule;
            case OTHER -> !http && !sqs && !schedule;
        };
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A fresh copy of {@code event} for one invocation; {@code environment} is the function's. */
    String fresh(JsonNode event, Map<String, String> environment) {
        int n = invocations.incrementAndGet();
        String tag = runTag + n;
        ObjectNode copy = event.deepCopy();
        if (copy.has("requestContext")) {
            freshHttp(copy, tag, n, environment.get("STRIPE_WEBHOOK_SECRET"));
        }
        if (copy.get("Records") instanceof ArrayNode records) {
            for (JsonNode record : records) {
                ((ObjectNode) record).put("messageId", UUID.randomUUID().toString());
                ((ObjectNode) record).put("body", freshText(record.path("body").asText(), tag));
            }
        }
        if (copy.has("detail-type")) {
            copy.put("id", UUID.randomUUID().toString());
        }
        return copy.toString();
    }

    private static void freshHttp(ObjectNode event, String tag, int n, String stripeSecret) {
        boolean base64 = event.path("isBase64Encoded").asBoolean(false);
        String body = null;
        if (event.hasNonNull("body")) {
            body = event.get("body").asText();
            body = freshText(base64 ? new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8) : body, tag);
            event.put("body", base64 ? Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)) : body);
        }
        // RFC 2544's benchmarking range, one address per invocation: no rate limit per IP is hit.
        String ip = "198." + (18 + n / 65536 % 2) + "." + (n / 256 % 256) + "." + (n % 256);
        if (event.path("requestContext").path("http") instanceof ObjectNode http) {
            http.put("sourceIp", ip);
        }
        ((ObjectNode) event.path("requestContext")).put("requestId", UUID.randomUUID().toString());
        if (event.path("headers") instanceof ObjectNode headers) {
            if (headers.has("x-forwarded-for")) {
                headers.put("x-forwarded-for", ip);
            }
            if (headers.has("stripe-signature") && stripeSecret != null && body != null) {
                headers.put("stripe-signature", stripeSignature(body, stripeSecret));
            }
        }
    }

    /** New addresses (a +tag sub-address) and Stripe event ids in a body. */
    static String freshText(String text, String tag) {
        String lower = tag.toLowerCase(Locale.ROOT);
        String withAddresses = EMAIL.matcher(text).replaceAll("$1+b" + lower + "@$2");
        return STRIPE_EVENT_ID.matcher(withAddresses).replaceAll("$1B" + tag);
    }

    /** Stripe's scheme: {@code t=<seconds>,v1=hex(HMAC-SHA256(secret, "<seconds>.<payload>"))}. */
    static String stripeSignature(String payload, String secret) {
        long t = Instant.now().getEpochSecond();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] signature = mac.doFinal((t + "." + payload).getBytes(StandardCharsets.UTF_8));
            return "t=" + t + ",v1=" + HexFormat.of().formatHex(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
