package shop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipFile;
import shop.local.stack.CfnTemplate;
import shop.local.stack.LocalAws;

/**
 * The benchmark of issue 7, for every function of template.yaml on the local stack: artifact
 * size, cold start against the bare-JVM floor of the same run, peak RSS, warm latency, and
 * the AWS calls and cost of the business flows. Writes RESULTS.md and results.json.
 *
 * <p>Run it with {@code bench/run} (see {@link Options#USAGE}).
 */
public final class Bench {
    /** A function's everyday request, by logical id, where it is not its first sample in file order. */
    static final Map<String, String> EVERYDAY_SAMPLES = Map.of(OrdersAtScale.ADMIN_ORDERS, OrdersAtScale.LIST_SAMPLE,
            OrdersAtScale.PRIVACY, "submit-access.json");

    private final Options options;
    private final CfnTemplate template;
    private final EventSamples samples = new EventSamples();

    /** Makes the events one function is invoked with, a fresh one each time. */
    interface EventSource {
        String next() throws Exception;
    }

    /** What is gathered about one function along the run. */
    private static final class Measured {
        final FunctionUnderTest function;
        final List<String> problems = new ArrayList<>();
        Artifact artifact;
        boolean carriesStripe;
        Map<String, String> environment;
        InProcess host;
        String eventName;
        EventSource events;
        final List<Double> warmMs = new ArrayList<>();
        int warmFailed;
        final List<ColdStarts.Sample> cold = new ArrayList<>();
        final List<ColdStarts.Sample> primed = new ArrayList<>();

        Measured(FunctionUnderTest function) {
            this.function = function;
        }
    }

    Bench(Options options, CfnTemplate template) {
        this.options = options;
        this.template = template;
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.println(Options.USAGE);
            return;
        }
        Options options = Options.parse(args);
        CfnTemplate template = CfnTemplate.load();
        Results results = new Bench(options, template).run();
        Path out = options.out() != null ? options.out()
                : template.file().getParent().resolve(options.quick() ? "bench/target/quick" : "bench");
        Report.write(results, out, options.historyNote());
        System.out.println(Report.summary(results));
        System.out.println("Written: " + out.resolve("RESULTS.md") + " and " + out.resolve("results.json"));
        // ElasticMQ's actor system is not daemon-threaded.
        System.exit(0);
    }

    Results run() throws Exception {
        List<Measured> functions = FunctionUnderTest.discover(template).stream()
                .filter(f -> options.only().isEmpty() || options.only().contains(f.name())
                        || options.only().contains(f.label()) || options.only().contains(f.logicalId()))
                .map(Measured::new).toList();
        Path work = template.file().getParent().resolve("bench/target/bench-work");
        HelperJars jars = HelperJars.write(work);
        ColdStarts coldStarts = new ColdStarts(options.java(), jars, work);
        List<ColdStarts.Sample> floor = new ArrayList<>();
        List<Flows.Flow> flows;
        OrdersAtScale.Result atScale;
        CampaignFlow.Result campaign;

        log("Starting the local stack for " + functions.size() + " functions of " + template.file());
        // The functions log to stdout; in this JVM that would bury the bench's own output.
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try (LocalAws aws = LocalAws.start(template.file())) {
            Map<String, InProcess> hosts = new LinkedHashMap<>();
            Map<String, Map<String, String>> environments = new LinkedHashMap<>();
            for (Measured m : functions) {
                artifact(m);
                if (m.artifact != null && start(m, aws, jars)) {
                    hosts.put(m.function.logicalId(), m.host);
                    environments.put(m.function.logicalId(), m.environment);
                }
            }
            Optional<OrderPipeline> pipeline = OrderPipeline.of(aws, samples, hosts, environments);
            Map<String, EventSource> sources = new LinkedHashMap<>();
            for (Measured m : functions) {
                if (m.host != null && chooseEvents(m, pipeline)) {
                    sources.put(m.function.logicalId(), m.events);
                    warm(m);
                }
            }
            log("Business flows");
            flows = new Flows(hosts, sources, aws, samples, pipeline).runAll();
            coldStarts(functions, coldStarts, floor);
            // Last: nothing else is measured against the big orders table.
            log("Orders at scale: " + Options.SMALL_ORDERS + " and " + options.orders() + " orders");
            atScale = new OrdersAtScale(aws, hosts, environments, samples).run(Options.SMALL_ORDERS, options.orders());
            // After the orders: an access request scans the subscribers table, which this fills.
            log("Campaign: " + options.recipients() + " recipients, an audience of " + options.audience());
            campaign = new CampaignFlow(aws, hosts, environments, samples, jars).run(options.recipients(), options.audience());
        } finally {
            System.setOut(stdout);
            for (Measured m : functions) {
                if (m.host != null) {
                    m.host.close();
                }
            }
        }
        return results(functions, floor, flows, atScale, campaign);
    }

    private void artifact(Measured m) {
        if (!Files.isRegularFile(m.function.jar())) {
            m.problems.add("no jar at " + template.file().getParent().relativize(m.function.jar())
                    + ": build it first (bench/run does)");
            return;
        }
        try (ZipFile zip = new ZipFile(m.function.jar().toFile())) {
            m.artifact = Artifact.of(m.function.jar());
            m.carriesStripe = zip.getEntry("com/stripe/StripeClient.class") != null;
        } catch (Exception e) {
            m.problems.add("cannot read the jar: " + e);
        }
    }

    /** The handler, built in this JVM from its jar alone. */
    private boolean start(Measured m, LocalAws aws, HelperJars jars) {
        log("In-process: " + m.function.label());
        try {
            m.environment = aws.functionEnvironment(m.function.logicalId(), Map.of());
            m.host = InProcess.start(m.function, jars, m.environment);
            return true;
        } catch (Exception | LinkageError e) {
            m.problems.add("in-process: " + e);
            return false;
        }
    }

    /**
     * The commerce functions' events come from the order pipeline; any other function's are
     * fresh copies of its first sample event that it answers with a success (else of the first
     * sample, said so).
     */
    private boolean chooseEvents(Measured m, Optional<OrderPipeline> pipeline) {
        FunctionUnderTest f = m.function;
        try {
            if (pipeline.isPresent() && pipeline.get().makesEventsFor(f.logicalId())) {
                m.eventName = pipeline.get().sampleFor(f.logicalId());
                m.events = () -> pipeline.get().next(f.logicalId());
                return true;
            }
            List<Path> candidates = everydayFirst(f, EventSamples.candidates(f));
            if (candidates.isEmpty()) {
                m.problems.add("no " + f.trigger() + " sample event in " + template.file().getParent().relativize(f.eventsDir()));
                return false;
            }
            String firstOutcome = null;
            Path chosen = null;
            for (Path candidate : candidates) {
                InProcess.Invocation trial = m.host.invoke(samples.fresh(EventSamples.read(candidate), m.environment));
                firstOutcome = firstOutcome == null ? trial.outcome() : firstOutcome;
                if (trial.succeeded()) {
                    chosen = candidate;
                    break;
                }
            }
            if (chosen == null) {
                chosen = candidates.get(0);
                m.problems.add("no sample event answered with success; " + chosen.getFileName() + " answered " + firstOutcome);
            }
            JsonNode event = EventSamples.read(chosen);
            m.eventName = chosen.getFileName().toString();
            m.events = () -> samples.fresh(event, m.environment);
            return true;
        } catch (Exception | LinkageError e) {
            m.problems.add("events: " + e);
            return false;
        }
    }

    /**
     * The function's samples with the request it answers most often first, where that is not
     * simply the first in file order: the back office's orders function is opened for "to ship"
     * every day and asked for an accounting export a few times a year, and the export's time is
     * the work of reading every order of the year (OrdersAtScale measures it per 1,000 orders);
     * the privacy function is asked by customers for their data far more often than the owner
     * opens the back office's privacy tab (whose sample, {@code admin-list-open.json}, sorts
     * first), and the requests it leaves open are what the daily digest then lists and mails.
     */
    static List<Path> everydayFirst(FunctionUnderTest f, List<Path> candidates) {
        String everyday = EVERYDAY_SAMPLES.get(f.logicalId());
        if (everyday == null) {
            return candidates;
        }
        List<Path> ordered = new ArrayList<>(candidates.stream().filter(p -> p.getFileName().toString().equals(everyday)).toList());
        candidates.stream().filter(p -> !ordered.contains(p)).forEach(ordered::add);
        return ordered;
    }

    /** Warm latency: the handler call alone, after a tenth as many calls to warm up. */
    private void warm(Measured m) {
        log("Warm invocations: " + m.function.label());
        try {
            for (int i = 0; i < options.warmUp(); i++) {
                m.host.invoke(m.events.next());
            }
            for (int i = 0; i < options.warmInvocations(); i++) {
                InProcess.Invocation invocation = m.host.invoke(m.events.next());
                m.warmMs.add(invocation.millis());
                m.warmFailed += invocation.succeeded() ? 0 : 1;
            }
        } catch (Exception | LinkageError e) {
            m.problems.add("warm: " + e);
        }
    }

    /**
     * Round after round, the floor and every function once each (and once more primed), in an
     * order that rotates, so that what disturbs the machine at one moment spreads over all.
     */
    private void coldStarts(List<Measured> functions, ColdStarts coldStarts, List<ColdStarts.Sample> floor)
            throws Exception {
        List<Measured> runnable = functions.stream().filter(m -> m.events != null).toList();
        for (int round = 0; round < options.coldRuns(); round++) {
            log("Cold starts, round " + (round + 1) + " of " + options.coldRuns());
            List<Measured> order = new ArrayList<>(runnable);
            order.add(null); // the floor
            Collections.rotate(order, round);
            for (Measured m : order) {
                if (m == null) {
                    floor.add(coldStarts.floor());
                } else {
                    m.cold.add(coldStart(coldStarts, m, false));
                    m.primed.add(coldStart(coldStarts, m, true));
                }
            }
        }
    }

    private static ColdStarts.Sample coldStart(ColdStarts coldStarts, Measured m, boolean primed) throws Exception {
        String event;
        try {
            event = m.events.next();
        } catch (Exception | LinkageError e) {
            return new ColdStarts.Sample(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, "no_event: " + e.getMessage());
        }
        return coldStarts.function(m.function, m.environment, event, primed);
    }

    private Results results(List<Measured> functions, List<ColdStarts.Sample> floorSamples, List<Flows.Flow> flows,
                            OrdersAtScale.Result atScale, CampaignFlow.Result campaign) {
        Results.Cold measured = cold(floorSamples, Double.NaN);
        Results.Cold floor = new Results.Cold(measured.runs(), measured.failed(), measured.medianMs(), measured.p90Ms(),
                null, null, measured.peakRssMib(), 1.0, measured.runQueueWaitMedianMs(), measured.outcome());
        List<Results.Function> rows = new ArrayList<>();
        for (Measured m : functions) {
            double floorMedian = floor.medianMs() == null ? Double.NaN : floor.medianMs();
            Results.Cold cold = m.cold.isEmpty() ? null : cold(m.cold, floorMedian);
            Results.Cold primedCold = m.primed.isEmpty() ? null : cold(m.primed, floorMedian);
            m.cold.stream().filter(s -> !s.succeeded()).findFirst()
                    .ifPresent(s -> m.problems.add("a cold start answered " + s.outcome()));
            m.primed.stream().filter(s -> !s.succeeded()).findFirst()
                    .ifPresent(s -> m.problems.add("a primed start answered " + s.outcome()));
            Results.Warm warm = m.warmMs.isEmpty() ? null : new Results.Warm(m.warmMs.size(), m.warmFailed,
                    Results.number(Stats.percentile(m.warmMs, 50)), Results.number(Stats.percentile(m.warmMs, 99)));
            Artifact a = m.artifact;
            rows.add(new Results.Function(m.function.logicalId(), m.function.label(),
                    template.file().getParent().relativize(m.function.jar()).toString(),
                    a == null ? null : Artifact.megabytes(a.zippedBytes()),
                    a == null ? null : Artifact.megabytes(a.unzippedBytes()),
                    a == null ? null : a.classes(), m.carriesStripe,
                    m.function.trigger() != FunctionUnderTest.Trigger.SCHEDULE, m.eventName, cold, primedCold, warm,
                    List.copyOf(m.problems)));
        }
        Results.Machine machine = new Results.Machine(
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + " (launcher " + options.java() + ")",
                String.join(" ", ColdStarts.heapFor(ColdStarts.DEFAULT_MEMORY_MB)) + " " + String.join(" ", ColdStarts.LAMBDA_FLAGS),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return new Results(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                options.quick() ? "quick" : "full", machine, floor, rows, flows, atScale, campaign,
                Targets.evaluate(rows, flows, atScale, campaign), Prices.AS_OF, Prices.ALL);
    }

    private static Results.Cold cold(List<ColdStarts.Sample> samples, double floorMedian) {
        List<ColdStarts.Sample> ok = samples.stream().filter(ColdStarts.Sample::succeeded).toList();
        List<Double> totals = ok.stream().map(ColdStarts.Sample::totalMs).toList();
        double median = Stats.median(totals);
        return new Results.Cold(samples.size(), samples.size() - ok.size(),
                Results.number(median), Results.number(Stats.percentile(totals, 90)),
                Results.number(Stats.median(ok.stream().map(ColdStarts.Sample::initMs).toList())),
                Results.number(Stats.median(ok.stream().map(ColdStarts.Sample::firstCallMs).toList())),
                Results.number(ok.stream().mapToDouble(ColdStarts.Sample::peakRssMib).max().orElse(Double.NaN)),
                Results.number(median / floorMedian),
                Results.number(Stats.median(ok.stream().map(ColdStarts.Sample::runQueueWaitMs).filter(w -> w >= 0).toList())),
                samples.isEmpty() ? null : samples.get(samples.size() - 1).outcome());
    }

    /**
     * A warning when the floor spent more than a quarter of its time waiting for a CPU. The floor
     * is a 30 ms process: scheduling delays add about the same milliseconds to it as to a
     * 500 ms cold start, so on a busy machine it inflates several times more and every ratio
     * shrinks (the 109 ms floor of 2026-11-30 with ratios of 9-11×, where a quiet run reads
     * about 30 ms and 17-20×). Null when the machine was quiet enough.
     */
    static String busyMachine(Results.Cold floor) {
        Double wait = floor.runQueueWaitMedianMs();
        Double wall = floor.medianMs();
        if (wait == null || wall == null || wait <= wall / 4) {
            return null;
        }
        return String.format(Locale.ROOT, "Busy machine: the bare JVM waited %.0f of its %.0f ms for a CPU, "
                + "so the × floor ratios below are too low; rerun on a quiet machine.", wait, wall);
    }

    static void log(String message) {
        System.err.println("bench: " + message);
    }
}
