package shop.bench;

import java.util.Arrays;
import java.util.List;

/** Percentiles by nearest rank: the value at or below which {@code p} percent of the samples lie. */
final class Stats {
    private Stats() {
    }

    static double percentile(List<Double> samples, double p) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = samples.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double median(List<Double> samples) {
        return percentile(samples, 50);
    }
}
