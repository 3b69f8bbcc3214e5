package shop.local.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import shop.core.email.EmailAddress;
import shop.core.security.AddressHasher;
import shop.local.stack.CfnTemplate;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalParameters;
import shop.local.stack.SentMail;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** What a person and their mail client do with the privacy routes, over HTTP to the local API server. */
final class PrivacyClient {
    static final ObjectMapper JSON = new ObjectMapper();
    static final AddressHasher HASHER = new AddressHasher(LocalParameters.ADDRESS_HASH_KEY);

    private final LocalAws aws;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    PrivacyClient(LocalAws aws, URI base) {
        this.aws = aws;
        this.base = base;
    }

    HttpResponse<String> request(String email, String type) throws Exception {
        return request(email, type, null);
    }

    HttpResponse<String> request(String email, String type, String correctionJson) throws Exception {
        String body = "{\"email\":\"" + email + "\",\"type\":\"" + type + "\""
                + (correctionJson == null ? "" : ",\"correction\":" + correctionJson) + "}";
        return send(HttpRequest.newBuilder(base.resolve("/privacy/requests"))
                .header("content-type", "application/json").header("user-agent", "e2e-browser/1.0")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** The verification link of the newest privacy mail to {@code email}. */
    String verificationLink(String email) {
        return link(newest(email, "Please confirm your privacy request").text(), "/privacy/requests/verify");
    }

    SentMail newest(String email, String subjectStart) {
        List<SentMail> mails = aws.mailbox().to(email).stream().filter(m -> m.subject().startsWith(subjectStart)).toList();
        if (mails.isEmpty()) {
            throw new AssertionError("No mail \"" + subjectStart + "\" to " + email);
        }
        return mails.get(mails.size() - 1);
    }

    HttpResponse<String> get(String url) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    /** The form on the verification page: a POST to the same URL. */
    HttpResponse<String> confirm(String url) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** Request, then the link from the mail, then the button: the whole round as a person does it. */
    HttpResponse<String> requestAndConfirm(String email, String type, String correctionJson) throws Exception {
        HttpResponse<String> submitted = request(email, type, correctionJson);
        if (submitted.statusCode() != 202) {
            throw new AssertionError(submitted.statusCode() + " " + submitted.body());
        }
        return confirm(verificationLink(email));
    }

    /** A confirmed newsletter subscriber, made through the newsletter's own routes. */
    void subscribe(String email) throws Exception {
        String body = "{\"email\":\"" + email + "\",\"consent\":true,\"ageConfirmed\":true,\"source\":\"e2e-privacy\"}";
        HttpResponse<String> signup = send(HttpRequest.newBuilder(base.resolve("/newsletter/subscriptions"))
                .header("content-type", "application/json").header("user-agent", "e2e-browser/1.0")
                .header("sec-gpc", "1")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (signup.statusCode() != 202) {
            throw new AssertionError(signup.body());
        }
        ShopClient.awaitSignupsHandled(aws); // the mail comes from the signup queue's function
        SentMail mail = newest(email, "Please confirm your subscription");
        // The link opens a page with a button; its POST confirms.
        HttpResponse<String> confirmed = send(HttpRequest.newBuilder(URI.create(link(mail.text(), "/newsletter/confirm")))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        if (confirmed.statusCode() != 200) {
            throw new AssertionError(confirmed.body());
        }
    }

    /** The keyed hash under which the stores know {@code email} (the local AddressHashKey). */
    static String hashOf(String email) {
        return HASHER.hash(new EmailAddress(email));
    }

    /** The newest privacy request item for an address hash. */
    Map<String, AttributeValue> newestRequestOf(String addressHash) {
        List<Map<String, AttributeValue>> requests = requestsOf(addressHash);
        return requests.get(requests.size() - 1);
    }

    /** The privacy request item {@code id}, read consistently (empty when there is none). */
    Map<String, AttributeValue> requestItem(String id) {
        return aws.dynamo().getItem(b -> b.tableName(aws.physicalName("PrivacyRequestsTable"))
                .key(Map.of("pk", AttributeValue.fromS("REQUEST#" + id))).consistentRead(true)).item();
    }

    /** The request {@code id} of the owner's list (GET /admin/privacy-requests's body); an AssertionError if not listed. */
    static JsonNode listed(JsonNode body, String id) {
        return StreamSupport.stream(body.get("requests").spliterator(), false)
                .filter(r -> r.get("id").asText().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not listed: " + body));
    }

    /** The privacy request items for an address hash, newest last. */
    List<Map<String, AttributeValue>> requestsOf(String addressHash) {
        return scan("PrivacyRequestsTable").stream()
                .filter(item -> item.containsKey("addressHash") && addressHash.equals(item.get("addressHash").s()))
                .sorted((a, b) -> a.get("receivedAt").s().compareTo(b.get("receivedAt").s()))
                .toList();
    }

    List<Map<String, AttributeValue>> scan(String logicalId) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (var page : aws.dynamo().scanPaginator(ScanRequest.builder().tableName(aws.physicalName(logicalId)).build())) {
            items.addAll(page.items());
        }
        return items;
    }

    /** Every item of every table of template.yaml and every object of every bucket, as text, by store. */
    Map<String, String> everything() {
        Map<String, String> stores = new LinkedHashMap<>();
        for (CfnTemplate.Resource table : aws.template().resourcesOfType(CfnTemplate.TABLE)) {
            stores.put(table.logicalId(), scan(table.logicalId()).toString());
        }
        for (CfnTemplate.Resource bucket : aws.template().resourcesOfType(CfnTemplate.BUCKET)) {
            String name = aws.physicalName(bucket.logicalId());
            StringBuilder text = new StringBuilder();
            for (var object : aws.s3().listObjectsV2Paginator(b -> b.bucket(name)).contents()) {
                // Leniently: a bucket may hold binary files (product photos), which hold no text to find.
                text.append(object.key()).append('\n').append(new String(
                        aws.s3().getObjectAsBytes(b -> b.bucket(name).key(object.key())).asByteArray(),
                        java.nio.charset.StandardCharsets.UTF_8));
            }
            stores.put(bucket.logicalId(), text.toString());
        }
        return stores;
    }

    /** The stores whose text contains {@code needle}, ignoring case. */
    Set<String> storesHolding(String needle) {
        return everything().entrySet().stream()
                .filter(e -> e.getValue().toLowerCase().contains(needle.toLowerCase()))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    /** Mail the stand-in accepted since {@code since} for anyone but {@code except}. */
    List<SentMail> mailSince(Instant since, Set<String> except) {
        return aws.mailbox().since(since).stream().filter(m -> except.stream().noneMatch(m::isTo)).toList();
    }

    static String link(String text, String path) {
        Matcher m = Pattern.compile("(https?://\\S+" + Pattern.quote(path) + "\\?token=[A-Za-z0-9_-]+)").matcher(text);
        if (!m.find()) {
            throw new AssertionError("no " + path + " link in " + text);
        }
        return m.group(1);
    }

    HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
