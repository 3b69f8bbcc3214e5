package shop.newsletter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import shop.core.email.EmailAddress;
import shop.core.json.Json;

/**
 * A signup the form accepted, as the signup queue carries it to the worker: what the consent
 * proof keeps (the policy version shown, where the form is, the network prefix, browser and
 * opt-out signals; consent and the 13+ attestation are implied, a signup without both is never
 * queued), where the links in the mail point, and when it was asked for.
 */
public record PendingSignup(SignupRequest request, RequestOrigin origin, String policyVersion, String baseUrl,
                            Instant requestedAt) {

    public String toJson() {
        ObjectNode node = Json.object();
        node.put("email", request.email().value());
        node.put("source", request.source());
        node.put("policyVersion", policyVersion);
        node.put("ipPrefix", origin.ipPrefix());
        node.put("userAgent", origin.userAgent());
        var signals = node.putArray("optOutSignals");
        origin.optOutSignals().forEach(signals::add);
        node.put("baseUrl", baseUrl);
        node.put("requestedAt", requestedAt.toString());
        return Json.write(node);
    }

    /** The message the form's function wrote; anything else is refused (the message is retried, then dead-lettered). */
    public static PendingSignup parse(String body) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("Not a signup message.", e);
        }
        List<String> signals = new ArrayList<>();
        node.path("optOutSignals").forEach(signal -> signals.add(signal.asText()));
        var request = SignupRequest.of(text(node, "email"), true, true, Optional.of(text(node, "source")));
        return new PendingSignup(request,
                new RequestOrigin(text(node, "ipPrefix"), node.path("userAgent").asText(""), signals),
                text(node, "policyVersion"), text(node, "baseUrl"), Instant.parse(text(node, "requestedAt")));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("A signup message without \"" + field + "\".");
        }
        return value.asText();
    }
}
