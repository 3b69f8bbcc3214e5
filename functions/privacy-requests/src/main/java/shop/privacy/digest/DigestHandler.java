package shop.privacy.digest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.util.Map;
import shop.core.config.Env;
import shop.privacy.PrivacyDependencies;

/**
 * Lambda entry point for the daily schedule of template.yaml (an EventBridge scheduled event): the
 * daily round, and the owner's digest once a day.
 */
public final class DigestHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    private final DigestService service;

    /** Called by Lambda: real clients, built once per execution environment. */
    public DigestHandler() {
        this(Env.system());
    }

    /** Called by the local server (or a test) with the environment template.yaml gives this function. */
    public DigestHandler(Map<String, String> environment) {
        this(Env.of(environment));
    }

    private DigestHandler(Env env) {
        this(PrivacyDependencies.digestService(env));
    }

    DigestHandler(DigestService service) {
        this.service = service;
    }

    /** The event's content does not matter: the time comes from the clock. */
    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        DigestService.Result result = service.run();
        return Map.of("outcome", result.outcome().name(), "open", result.open(), "lapsed", result.lapsed());
    }
}
