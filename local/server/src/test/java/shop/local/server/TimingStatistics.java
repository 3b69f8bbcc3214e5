package shop.local.server;

import java.util.Arrays;
import java.util.List;

/**
 * Rank statistics for the timing tests ({@link AccountSignInTimingTest},
 * {@link NewsletterSignupTimingTest}): indifferent to outliers, so what else the machine does
 * falls on both samples alike when their requests are interleaved.
 */
final class TimingStatistics {
    private TimingStatistics() {
    }

    /** P(a > b) over every pair, ties counted half: the Mann-Whitney U statistic over n1·n2. */
    static double probabilityOfBeingSlower(List<Long> a, List<Long> b) {
        double wins = 0;
        for (long x : a) {
            for (long y : b) {
                wins += x > y ? 1 : x == y ? 0.5 : 0;
            }
        }
        return wins / ((double) a.size() * b.size());
    }

    static long median(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
