package shop.campaigns;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import shop.core.config.Env;
import shop.core.snapstart.Priming;

/**
 * Lambda entry point for the dispatcher's one-minute schedule (template.yaml): starts the
 * campaigns that are due and queues their audience, leaving what it has no time for to the next run.
 */
public final class CampaignDispatchHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final DispatchService service;
    private final Runnable primeAdapters;

    /** Called by Lambda: real clients, built once per execution environment. */
    public CampaignDispatchHandler() {
        this(Env.system());
        Priming.beforeSnapshot("campaign-dispatch", primeAdapters);
    }

    /** Called by the local server with the environment template.yaml gives this function. */
    public CampaignDispatchHandler(Map<String, String> environment) {
        this(Env.of(environment));
    }

    private CampaignDispatchHandler(Env env) {
        this(CampaignDependencies.dispatch(env));
    }

    private CampaignDispatchHandler(CampaignDependencies.Wired<DispatchService> wired) {
        this.service = wired.service();
        this.primeAdapters = wired.prime();
    }

    /** The event's content does not matter: the time comes from the clock. */
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        long queued = service.run(() -> context == null ? Long.MAX_VALUE : context.getRemainingTimeInMillis());
        return Map.of("queued", queued);
    }
}
