package shop.local.server;

import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rank statistics for the timing tests ({@link AccountSignInTimingTest},
 * {@link NewsletterSignupTimingTest}): indifferent to outliers, so what else the machine does
 * falls on both samples alike when their requests are interleaved; and the answer they compare.
 */
final class TimingStatistics {
    private TimingStatistics() {
    }

    /** An answer as the timing tests compare it: status, body, the headers (lower-case names) and how long it took. */
    record Answer(int status, String body, Map<String, String> headers, long nanos) {

        /** {@code response}'s answer, without the headers that differ for every request whoever asks. */
        static Answer of(HttpResponse<String> response, long nanos) {
            Map<String, String> headers = new TreeMap<>();
            response.headers().map().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("date") && !name.toLowerCase().contains("request-id")) {
                    headers.put(name.toLowerCase(), String.join(",", values));
                }
            });
            return new Answer(response.statusCode(), response.body(), headers, nanos);
        }
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
