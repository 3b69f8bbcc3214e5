package shop.privacy.inbound;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import shop.core.config.Env;
import shop.core.json.Json;
import shop.core.snapstart.Priming;
import shop.privacy.PrivacyDependencies;

/**
 * Lambda entry point for template.yaml's SES receipt rule (a Lambda action, invoked as an
 * Event after the S3 action stored the message). A failure is thrown, so Lambda retries.
 *
 * <p>A stream handler: the event is read with the shop's own mapper into {@link SesReceiptEvent}
 * (the Lambda runtime's serializer would not see its Jackson annotations), and the answer,
 * {@code {"results": [...]}}, written back as JSON.
 */
public final class InboundMailHandler implements RequestStreamHandler {
    private final InboundMailService service;
    private final Runnable primeAdapters;
    private final String apiBaseUrl;

    /** Called by Lambda: real clients, built once per execution environment, primed for SnapStart. */
    public InboundMailHandler() {
        this(Env.system());
        Priming.beforeSnapshot("privacy-inbound-mail", this::prime);
    }

    /** Called by the local server (or a test) with the environment template.yaml gives this function. */
    public InboundMailHandler(Map<String, String> environment) {
        this(Env.of(environment));
    }

    private InboundMailHandler(Env env) {
        this(PrivacyDependencies.inboundService(env),
                env.optional("PUBLIC_API_URL").orElseGet(() -> env.require("API_GATEWAY_URL")));
    }

    InboundMailHandler(InboundMailService service, String apiBaseUrl) {
        this(new PrivacyDependencies.Wired<>(service, () -> { }), apiBaseUrl);
    }

    private InboundMailHandler(PrivacyDependencies.Wired<InboundMailService> wired, String apiBaseUrl) {
        this.service = wired.service();
        this.primeAdapters = wired.primeAdapters();
        this.apiBaseUrl = apiBaseUrl.endsWith("/") ? apiBaseUrl.substring(0, apiBaseUrl.length() - 1) : apiBaseUrl;
    }

    /**
     * SES's report of a mail whose subject is not Unsubscribe, from a domain without DMARC whose
     * SPF passed for a subdomain of it ({@code mail.example.co.uk} for {@code example.co.uk}).
     */
    static final String PRIMING_EVENT = "{\"Records\":[{\"eventSource\":\"aws:ses\",\"ses\":{\"mail\":"
            + "{\"messageId\":\"priming-never-stored\",\"source\":\"bounce@mail.example.co.uk\","
            + "\"commonHeaders\":{\"from\":[\"priming@example.co.uk\"],\"subject\":\"Priming\"}},"
            + "\"receipt\":{\"spfVerdict\":{\"status\":\"PASS\"},\"dkimVerdict\":{\"status\":\"GRAY\"},"
            + "\"dmarcVerdict\":{\"status\":\"GRAY\"}}}}]}";

    /**
     * {@link #PRIMING_EVENT} through the stream entry point, so reading and writing the JSON is
     * primed: ignored for its subject, and its stored copy, which was never stored, deleted (S3
     * answers that with success). Nothing is written. Then its alignment is judged, which the
     * ignored mail never reaches, so the Public Suffix List (guava's PublicSuffixPatterns, a
     * large table built on first use) is loaded before the snapshot. And a SendEmail stopped
     * before it is sent.
     */
    void prime() {
        try {
            handleRequest(new ByteArrayInputStream(PRIMING_EVENT.getBytes(StandardCharsets.UTF_8)),
                    new ByteArrayOutputStream(), null);
            InboundMail.fromEvent(Json.mapper().readValue(PRIMING_EVENT, SesReceiptEvent.class))
                    .forEach(InboundMail::authenticated);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        primeAdapters.run();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        SesReceiptEvent event = Json.mapper().readValue(input, SesReceiptEvent.class);
        Json.mapper().writeValue(output, Map.of("results", handle(event)));
    }

    /** What became of each message of the event, in order: {@code UNSUBSCRIBED}, {@code IGNORED}, ... */
    List<String> handle(SesReceiptEvent event) {
        List<String> results = new ArrayList<>();
        for (InboundMail mail : InboundMail.fromEvent(event)) {
            results.add(service.handle(mail, apiBaseUrl).name());
        }
        return results;
    }
}
