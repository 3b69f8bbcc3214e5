package shop.visits;

import java.time.Clock;
import shop.core.aws.AwsClients;
import shop.core.config.Env;

/** Wires the visits function to one DynamoDB client, from the variables template.yaml sets. */
record VisitsDependencies(VisitService visits, StatsService stats) {
    static VisitsDependencies fromEnvironment(Env env) {
        var dynamo = new AwsClients(env).dynamo();
        var clock = Clock.systemUTC();
        var counters = new DynamoDailyCounters(dynamo, env.require("STATS_TABLE"));
        return new VisitsDependencies(
                new VisitService(new DynamoVisitStore(dynamo, env.require("VISITS_TABLE"), clock), counters,
                        new UapUserAgentParser(), clock),
                new StatsService(counters, new DynamoPartnerKeyStore(dynamo, env.require("STATS_TABLE"))));
    }
}
