package shop.bench;

import java.util.List;

/** Everything one bench run measured; written as results.json and rendered as RESULTS.md. */
record Results(String generatedAt, String mode, Machine machine, Cold floor, List<Function> functions,
               List<Flows.Flow> flows, OrdersAtScale.Result ordersAtScale, CampaignFlow.Result campaign,
               List<Target> targets, String pricesAsOf, List<Prices.Price> prices) {

    record Machine(String java, String jvmFlags, int cpus, String os) {
    }

    /**
     * Cold starts of one kind; times in ms: from launch to the first response (median, p90), to
     * the end of init, and from the end of init or priming to the first response; peak RSS in
     * MiB (the highest run).
     */
    record Cold(int runs, int failed, Double medianMs, Double p90Ms, Double initMedianMs, Double firstCallMedianMs,
                Double peakRssMib, Double ratioToFloor, Double runQueueWaitMedianMs, String outcome) {
    }

    record Warm(int invocations, int failed, Double p50Ms, Double p99Ms) {
    }

    record Function(String logicalId, String label, String jar, Double zippedMb, Double unzippedMb, Integer classes,
                    boolean carriesStripe, boolean calledByApiOrQueue, String event, Cold cold, Cold primed, Warm warm, List<String> problems) {
    }

    record Target(String what, String limit, String measured, boolean met) {
    }

    /** JSON has no NaN: what was not measured is null. */
    static Double number(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
