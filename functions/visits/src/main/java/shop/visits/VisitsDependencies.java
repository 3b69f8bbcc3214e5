package shop.visits;

import java.time.Clock;
import shop.core.aws.AwsClients;
import shop.core.config.Env;
import shop.core.ratelimit.DynamoRateLimiter;
import shop.core.snapstart.Priming;

/**
 * Wires the visits function to one DynamoDB client, from the variables template.yaml sets, and
 * the SnapStart priming of its adapters.
 */
record VisitsDependencies(VisitService visits, StatsService stats, Runnable primeAdapters) {
    /** A user agent for priming: parsing it loads and compiles the regexes, which is most of a first page view. */
    static final String PRIMING_USER_AGENT =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

    static VisitsDependencies fromEnvironment(Env env) {
        var dynamo = new AwsClients(env).dynamo();
        var clock = Clock.systemUTC();
        String visitsTable = env.require("VISITS_TABLE");
        String statsTable = env.require("STATS_TABLE");
        var counters = new DynamoDailyCounters(dynamo, statsTable);
        var agents = new UapUserAgentParser();
        return new VisitsDependencies(
                new VisitService(new DynamoVisitStore(dynamo, visitsTable, clock), counters, agents,
                        new DynamoRateLimiter(dynamo, env.require("SUBSCRIBERS_TABLE"), clock), clock),
                new StatsService(counters, new DynamoPartnerKeyStore(dynamo, statsTable)),
                () -> {
                    agents.parse(PRIMING_USER_AGENT);
                    Priming.dynamo(dynamo, visitsTable, "pk", "PRIMING#never-written",
                            Priming.DynamoCall.GET, Priming.DynamoCall.PUT);
                    Priming.dynamo(dynamo, statsTable, "pk", "PRIMING#never-written",
                            Priming.DynamoCall.GET, Priming.DynamoCall.UPDATE);
                });
    }
}
