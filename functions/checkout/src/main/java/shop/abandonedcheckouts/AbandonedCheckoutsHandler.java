package shop.abandonedcheckouts;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import shop.commerce.reservations.DynamoReservationStore;
import shop.commerce.reservations.StockReservations;
import shop.core.aws.AwsClients;
import shop.core.config.Env;

/**
 * Lambda entry point for template.yaml's 15-minute schedule: gives back the stock of checkouts
 * that stopped after holding it and before handing out a payment page (the function was killed,
 * or could not give the stock back itself), so that a one-of-a-kind piece is not out of stock for
 * good. In checkout's jar because it gives back what checkouts hold; it calls no Stripe.
 */
public final class AbandonedCheckoutsHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    /** Far past the checkout function's 15-second timeout: a checkout this old is not running any more. */
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(5);

    private final StockReservations reservations;

    /** Called by Lambda: real clients, built once per execution environment. */
    public AbandonedCheckoutsHandler() {
        this(Env.system(), Clock.systemUTC());
    }

    /** Called by the local server (or a test) with the environment template.yaml gives this function. */
    public AbandonedCheckoutsHandler(Map<String, String> environment) {
        this(Env.of(environment), Clock.systemUTC());
    }

    AbandonedCheckoutsHandler(Env env, Clock clock) {
        var dynamo = new AwsClients(env).dynamo();
        this.reservations = new StockReservations(new DynamoReservationStore(dynamo, env.require("CHECKOUTS_TABLE"),
                env.require("PRODUCTS_TABLE"), clock), clock);
    }

    /**
     * The event's content does not matter: the time comes from the clock. A reservation that could
     * not be released fails the invocation, so that it shows in the function's error metric; the
     * next run tries it again.
     */
    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        var result = reservations.releaseAbandoned(ABANDONED_AFTER);
        if (result.failed() > 0) {
            throw new IllegalStateException(result.failed() + " abandoned checkouts could not be released; the next run retries them");
        }
        return Map.of("released", result.released());
    }
}
