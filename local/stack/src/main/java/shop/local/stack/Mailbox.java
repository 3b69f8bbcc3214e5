package shop.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mail the local SES stand-in accepted, read over its HTTP interface: aws-ses-v2-local's
 * {@code GET /store}, or LocalStack's {@code GET /_aws/ses}. Nothing is delivered anywhere, so
 * this is how a test or a developer sees what a customer would have received.
 */
public final class Mailbox {

    private enum Kind { SES_V2_LOCAL, LOCALSTACK }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final Kind kind;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Mailbox(URI base, Kind kind) {
        this.base = base;
        this.kind = kind;
    }

    /** The mailbox of aws-ses-v2-local at {@code base} (its root URL). */
    public static Mailbox sesV2Local(URI base) {
        return new Mailbox(base, Kind.SES_V2_LOCAL);
    }

    /** The mailbox of a LocalStack at {@code base} (its edge URL). */
    public static Mailbox localStack(URI base) {
        return new Mailbox(base, Kind.LOCALSTACK);
    }

    /** Every message sent since the stand-in started or was last cleared, oldest first. */
    public List<SentMail> all() {
        return kind == Kind.SES_V2_LOCAL ? readSesV2Local("/store") : readLocalStack();
    }

    /** Messages sent at or after {@code since} (the stand-in records whole seconds). */
    public List<SentMail> since(Instant since) {
        if (kind == Kind.SES_V2_LOCAL) {
            return readSesV2Local("/store?since=" + since.getEpochSecond());
        }
        return all().stream().filter(m -> !m.at().isBefore(since.minusNanos(since.getNano()))).toList();
    }

    /** Messages with {@code address} among their To addresses (case-insensitive), oldest first. */
    public List<SentMail> to(String address) {
        return all().stream().filter(m -> m.isTo(address)).toList();
    }

    /** Forgets every message, so that a test sees only its own. */
    public void clear() {
        HttpRequest request = kind == Kind.SES_V2_LOCAL
                ? HttpRequest.newBuilder(base.resolve("/clear-store")).POST(HttpRequest.BodyPublishers.noBody()).build()
                : HttpRequest.newBuilder(base.resolve("/_aws/ses")).DELETE().build();
        send(request);
    }

    /** A page a person can open in a browser to read the mail. */
    public URI webUrl() {
        return kind == Kind.SES_V2_LOCAL ? base.resolve("/") : base.resolve("/_aws/ses");
    }

    private List<SentMail> readSesV2Local(String path) {
        JsonNode root = send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
        List<SentMail> mails = new ArrayList<>();
        for (JsonNode email : root.path("emails")) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (JsonNode header : email.path("headers")) {
                headers.put(header.path("name").asText(), header.path("value").asText());
            }
            // local/ses_server.cjs keeps a tag as SES events carry it, {name: [value]}.
            Map<String, String> tags = new LinkedHashMap<>();
            email.path("tags").fields().forEachRemaining(tag -> tags.put(tag.getKey(), tag.getValue().path(0).asText()));
            mails.add(new SentMail(email.path("messageId").asText(), email.path("from").asText(),
                    strings(email.path("destination").path("to")), email.path("subject").asText(),
                    text(email.path("body").path("html")), text(email.path("body").path("text")),
                    headers, Instant.ofEpochSecond(email.path("at").asLong()),
                    text(email.path("configurationSetName")), tags));
        }
        return List.copyOf(mails);
    }

    // Not exercised here (no Docker on the development machines); shaped after LocalStack's
    // documented /_aws/ses response.
    private List<SentMail> readLocalStack() {
        JsonNode root = send(HttpRequest.newBuilder(base.resolve("/_aws/ses")).GET().build());
        List<SentMail> mails = new ArrayList<>();
        for (JsonNode message : root.path("messages")) {
            mails.add(new SentMail(message.path("Id").asText(), message.path("Source").asText(),
                    strings(message.path("Destination").path("ToAddresses")), message.path("Subject").asText(),
                    text(message.path("Body").path("html_part")), text(message.path("Body").path("text_part")),
                    Map.of(), timestamp(message.path("Timestamp").asText()), null, Map.of()));
        }
        return List.copyOf(mails);
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unsupported(request, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading the mailbox", e);
        }
        if (response.statusCode() == 404 && kind == Kind.LOCALSTACK) {
            throw unsupported(request, "HTTP 404");
        }
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        try {
            return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("The mailbox at " + request.uri() + " did not answer JSON", e);
        }
    }

    private RuntimeException unsupported(HttpRequest request, String why) {
        if (kind == Kind.LOCALSTACK) {
            return new UnsupportedOperationException("Cannot read sent mail at " + request.uri() + " (" + why
                    + "): the endpoint in use is not a LocalStack with its /_aws/ses mailbox");
        }
        return new IllegalStateException("Cannot reach the SES stand-in at " + request.uri() + ": " + why);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    private static Instant timestamp(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notUtc) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                return Instant.EPOCH;
            }
        }
    }

    @Override
    public String toString() {
        return "Mailbox at " + webUrl();
    }
}
