package shop.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/** The targets of issue 7, checked against a run's figures. */
final class Targets {
    static final double JAR_MB = 10;
    static final double STRIPE_JAR_MB = 16;
    static final double COLD_RATIO = 12;
    static final double PEAK_RSS_MIB = 128;
    static final double ORDER_COST_PER_1000 = 0.30;

    private Targets() {
    }

    static List<Results.Target> evaluate(List<Results.Function> functions, List<Flows.Flow> flows) {
        List<Results.Target> targets = new ArrayList<>();
        targets.add(each(functions, "jar size (MB zipped)", "≤ 10 MB; ≤ 16 MB with stripe-java",
                f -> f.zippedMb() == null ? null : String.format(Locale.ROOT, "%.1f", f.zippedMb()),
                f -> f.zippedMb() != null && f.zippedMb() <= (f.carriesStripe() ? STRIPE_JAR_MB : JAR_MB)));
        targets.add(each(functions, "cold start ÷ bare-JVM floor", "≤ 12×",
                f -> f.cold() == null || f.cold().ratioToFloor() == null ? null
                        : String.format(Locale.ROOT, "%.1f×", f.cold().ratioToFloor()),
                f -> f.cold() != null && f.cold().ratioToFloor() != null && f.cold().ratioToFloor() <= COLD_RATIO
                        && f.cold().failed() == 0));
        targets.add(each(functions, "peak RSS of a cold start", "≤ 128 MiB",
                f -> f.cold() == null || f.cold().peakRssMib() == null ? null
                        : String.format(Locale.ROOT, "%.0f MiB", f.cold().peakRssMib()),
                f -> f.cold() != null && f.cold().peakRssMib() != null && f.cold().peakRssMib() <= PEAK_RSS_MIB));
        Flows.Flow order = flows.stream().filter(f -> f.name().startsWith(Flows.ORDER)).findFirst().orElse(null);
        boolean measured = order != null && order.status().equals("measured");
        targets.add(new Results.Target("AWS cost per 1,000 orders, email included", "≤ $0.30",
                measured ? String.format(Locale.ROOT, "$%.4f", order.total()) : order == null ? "n/a" : order.status(),
                measured && order.total() <= ORDER_COST_PER_1000));
        return targets;
    }

    private static Results.Target each(List<Results.Function> functions, String what, String limit,
                                       Function<Results.Function, String> figure, Predicate<Results.Function> met) {
        List<String> parts = functions.stream()
                .map(f -> f.label() + " " + Objects.requireNonNullElse(figure.apply(f), "n/a") + (met.test(f) ? "" : " ✗"))
                .toList();
        return new Results.Target(what, limit, String.join(", ", parts),
                !functions.isEmpty() && functions.stream().allMatch(met));
    }
}
