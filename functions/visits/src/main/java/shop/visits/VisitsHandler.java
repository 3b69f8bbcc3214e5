package shop.visits;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import shop.core.config.Env;
import shop.core.errors.NotFoundException;
import shop.core.http.ApiRequest;
import shop.core.http.ApiResponses;
import shop.core.http.JsonBody;
import shop.core.snapstart.Priming;

/**
 * Lambda entry point for {@code POST /visits} (the storefront's page-view beacon) and
 * {@code GET /stats/daily} (aggregates for partners).
 */
public final class VisitsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final int MAX_BODY_BYTES = 4 * 1024;

    private final VisitService visits;
    private final StatsService stats;
    private final Runnable primeAdapters;

    /** Called by Lambda: real clients, built once per execution environment, primed for SnapStart. */
    public VisitsHandler() {
        this(Env.system());
        Priming.beforeSnapshot("visits", this::prime);
    }

    /** Called by the local server with the environment template.yaml gives this function. */
    public VisitsHandler(Map<String, String> environment) {
        this(Env.of(environment));
    }

    private VisitsHandler(Env env) {
        this(VisitsDependencies.fromEnvironment(env));
    }

    private VisitsHandler(VisitsDependencies dependencies) {
        this(dependencies.visits(), dependencies.stats(), dependencies.primeAdapters());
    }

    private VisitsHandler(VisitService visits, StatsService stats, Runnable primeAdapters) {
        this.visits = visits;
        this.stats = stats;
        this.primeAdapters = primeAdapters;
    }

    /**
     * Calls that change nothing: a beacon its validation refuses, statistics asked for without a
     * key; the user-agent regexes; the tables' read and write paths, refused by their conditions.
     */
    void prime() {
        handleRequest(Priming.httpRequest("POST", "/visits", Map.of(), "{\"referrer\":\"priming\"}"), null);
        handleRequest(Priming.httpRequest("GET", "/stats/daily", Map.of(), null), null);
        primeAdapters.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        var request = new ApiRequest(event);
        try {
            return switch (request.routeKey()) {
                case "POST /visits" -> {
                    var body = JsonBody.parse(request, MAX_BODY_BYTES, Set.of("application/json", "text/plain"));
                    var view = PageView.of(body.requiredString("path"), body.optionalString("referrer"));
                    visits.record(view, Visitor.of(request.sourceIp(), request.userAgent(),
                            request.header("sec-gpc").orElse(null), request.header("dnt").orElse(null)));
                    yield ApiResponses.noContent();
                }
                case "GET /stats/daily" -> {
                    List<DailyStats> days = stats.daily(request.header("authorization"), request.query("from"),
                            request.query("to"));
                    yield wantsCsv(request) ? ApiResponses.text(200, "text/csv; charset=utf-8", StatsCsv.of(days))
                            : ApiResponses.json(200, days.stream().map(StatsJson::of).toList());
                }
                default -> throw new NotFoundException("No such visits route.");
            };
        } catch (RuntimeException e) {
            return ApiResponses.error(e);
        }
    }

    private static boolean wantsCsv(ApiRequest request) {
        return request.header("accept").map(accept -> accept.toLowerCase().contains("text/csv")).orElse(false);
    }
}
