package shop.campaigns.feedback;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import shop.campaigns.CampaignDependencies;
import shop.core.config.Env;
import shop.core.json.Json;
import shop.core.snapstart.Priming;

/**
 * Lambda entry point for the SES events of the shop's configuration set (template.yaml's
 * MailEventsToFeedback destination, through EventBridge): bounces, complaints, deliveries,
 * rejects and rendering failures. EventBridge invokes it asynchronously: a failure throws, and
 * Lambda retries the event twice, a minute and then two minutes later (template.yaml's
 * {@code EventInvokeConfig}; {@link FeedbackService#OWNER_MAIL_STALE_AFTER} is shorter).
 */
public final class SesFeedbackHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final FeedbackService service;
    private final Runnable primeAdapters;

    /** Called by Lambda: real clients, built once per execution environment. */
    public SesFeedbackHandler() {
        this(Env.system());
        Priming.beforeSnapshot("ses-feedback", primeAdapters);
    }

    /** Called by the local server (or a test) with the environment template.yaml gives this function. */
    public SesFeedbackHandler(Map<String, String> environment) {
        this(Env.of(environment));
    }

    private SesFeedbackHandler(Env env) {
        this(CampaignDependencies.feedback(env));
    }

    private SesFeedbackHandler(CampaignDependencies.Wired<FeedbackService> wired) {
        this.service = wired.service();
        this.primeAdapters = () -> {
            // The parsing path, on an event that names no one.
            SesEvents.parse(Json.mapper().valueToTree(Map.of("detail", Map.of("eventType", "Delivery",
                    "mail", Map.of("messageId", "priming", "timestamp", "2026-01-01T00:00:00Z"),
                    "delivery", Map.of("timestamp", "2026-01-01T00:00:00Z", "recipients", java.util.List.of())))));
            wired.prime().run();
        };
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        SesEvent parsed = SesEvents.parse(Json.mapper().valueToTree(event));
        service.handle(parsed);
        return Map.of("type", parsed.type(), "recipients", parsed.recipients().size());
    }
}
