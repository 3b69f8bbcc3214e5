package shop.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line options. {@code --quick} is the CI mode: 2 cold starts and 50 warm invocations
 * per function, the orders-at-scale check at 1,000 and 10,000 orders instead of 1,000 and
 * 100,000, the campaign to 100 recipients and its dispatcher over 2,000 instead of 500 and
 * 100,000, results under bench/target/quick instead of the checked-in files.
 */
record Options(boolean quick, int coldRuns, int warmInvocations, int warmUp, Path out, String historyNote,
               Path java, List<String> only, long orders, int recipients, long audience) {
    /** The small orders table of the orders-at-scale check. */
    static final long SMALL_ORDERS = 1_000;

    static Options parse(String... args) {
        boolean quick = List.of(args).contains("--quick");
        int coldRuns = quick ? 2 : 10;
        int warm = quick ? 50 : 1000;
        Path out = null;
        String history = null;
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> only = new ArrayList<>();
        long orders = quick ? 10_000 : 100_000;
        int recipients = quick ? 100 : 500;
        long audience = quick ? 2_000 : 100_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> { }
                case "--runs" -> coldRuns = Integer.parseInt(args[++i]);
                case "--warm" -> warm = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--history" -> history = args[++i];
                case "--java" -> java = Path.of(args[++i]);
                case "--only" -> only.addAll(List.of(args[++i].split(",")));
                case "--orders" -> orders = Long.parseLong(args[++i]);
                case "--recipients" -> recipients = Integer.parseInt(args[++i]);
                case "--audience" -> audience = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("Unknown option " + args[i] + "\n" + USAGE);
            }
        }
        return new Options(quick, coldRuns, warm, Math.max(5, warm / 10), out, history, java, List.copyOf(only), orders,
                recipients, audience);
    }

    static final String USAGE = """
            bench/run [--quick] [--runs N] [--warm N] [--out DIR] [--history "what changed"] [--java PATH] [--only f1,f2] [--orders N]
                      [--recipients N] [--audience N]
              --quick    CI mode: 2 cold starts and 50 warm invocations per function, 10,000 orders at scale,
                         a campaign to 100 recipients and an audience of 2,000, output in bench/target/quick
              --runs     cold starts per function and of the bare JVM (default 10)
              --warm     timed in-process invocations per function (default 1000, after a tenth as many to warm up)
              --out      where RESULTS.md and results.json go (default bench/)
              --history  add a line to the History section of RESULTS.md with this run's figures
              --java     the java launcher for the cold starts (default: the one running the bench)
              --only     measure only these functions (jar names or logical ids)
              --orders   the big orders table of the orders-at-scale check, against 1,000 (default 100,000;
                         the local DynamoDB stand-in writes a few hundred a second; 0 skips the check)
              --recipients  the confirmed subscribers the campaign is sent to, twice: paced at SesMaxSendRate, then
                         unbounded (default 500: 36 s at the default 14 a second, then ~25 s; 0 skips the campaign check)
              --audience the confirmed subscribers the dispatcher queues at scale (default 100,000, ~6 minutes on
                         the local stand-in; 0 skips it)""";
}
