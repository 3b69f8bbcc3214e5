package shop.adminorders.waiting;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.util.Map;
import shop.core.config.Env;
import shop.core.snapstart.Priming;

/**
 * Lambda entry point for template.yaml's morning schedule (an EventBridge scheduled event): mails
 * the owner what waits in the shop, once a day, when anything does.
 */
public final class WaitingHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    private final WaitingService service;
    private final Runnable primeAdapters;

    /** Called by Lambda: real clients, built once per execution environment, primed for SnapStart. */
    public WaitingHandler() {
        this(Env.system());
        Priming.beforeSnapshot("orders-waiting", primeAdapters);
    }

    /** Called by the local server (or a test) with the environment template.yaml gives this function. */
    public WaitingHandler(Map<String, String> environment) {
        this(Env.of(environment));
    }

    private WaitingHandler(Env env) {
        this(WaitingDependencies.fromEnvironment(env));
    }

    private WaitingHandler(WaitingDependencies dependencies) {
        this.service = dependencies.service();
        this.primeAdapters = dependencies.primeAdapters();
    }

    /** The event's content does not matter: the time comes from the clock. */
    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        WaitingService.Result result = service.run();
        return Map.of("outcome", result.outcome().name(), "disputes", result.disputes(), "dueSoon", result.dueSoon(),
                "toShip", result.toShip(), "needAttention", result.needAttention());
    }
}
