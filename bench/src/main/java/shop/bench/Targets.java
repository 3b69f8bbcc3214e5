package shop.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import shop.bench.probe.ProbeOutput;

/**
 * The targets of issue 12, checked against a run's figures. Jar sizes are reported, not
 * targeted: every AWS call now goes through its generated client, whose models a function
 * loads only as far as its calls need, and priming pays for them before the snapshot.
 */
final class Targets {
    /** A plain SDK v2 + DynamoDB handler from a public SnapStart sample measures 25.5× here. */
    static final double COLD_RATIO = 25;
    /** The first call after a restore, stood in for by the first call after priming in a fresh JVM. */
    static final double PRIMED_FIRST_CALL_MS = 150;
    static final double PEAK_RSS_MIB = 160;
    /** The last full run before the change measured $0.217. */
    static final double ORDER_COST_PER_1000 = 0.217;
    /** What the big orders table may add to a read's units: item sizes differ by a few bytes. */
    static final double SCALE_READ_UNIT_TOLERANCE = 0.5;
    /** One call at each size, on a shared machine: a time that does not grow stays well within twice the small one's. */
    static final double SCALE_TIME_FACTOR = 2;
    /**
     * How far the senders' measured pace may stray from SesMaxSendRate: below it, the code would
     * be setting the campaign's time; above it by more than the start (each sender's first mail
     * goes at once), SES would refuse mail.
     */
    static final double PACE_TOLERANCE = 0.10;

    private Targets() {
    }

    static List<Results.Target> evaluate(List<Results.Function> functions, List<Flows.Flow> flows,
                                         OrdersAtScale.Result atScale, CampaignFlow.Result campaign) {
        List<Results.Target> targets = new ArrayList<>();
        targets.add(each(functions, "cold start ÷ bare-JVM floor", "≤ 25×",
                f -> f.cold() == null || f.cold().ratioToFloor() == null ? null
                        : String.format(Locale.ROOT, "%.1f×", f.cold().ratioToFloor()),
                f -> f.cold() != null && f.cold().ratioToFloor() != null && f.cold().ratioToFloor() <= COLD_RATIO
                        && f.cold().failed() == 0));
        List<Results.Function> called = functions.stream().filter(Results.Function::calledByApiOrQueue).toList();
        targets.add(each(called, "primed first call (functions the API or a queue calls)", "≤ 150 ms",
                f -> f.primed() == null || f.primed().firstCallMedianMs() == null ? null
                        : String.format(Locale.ROOT, "%.0f ms", f.primed().firstCallMedianMs()),
                f -> f.primed() != null && f.primed().firstCallMedianMs() != null
                        && f.primed().firstCallMedianMs() <= PRIMED_FIRST_CALL_MS && f.primed().failed() == 0));
        targets.add(each(functions, "peak RSS of a cold start", "≤ 160 MiB",
                f -> f.cold() == null || f.cold().peakRssMib() == null ? null
                        : String.format(Locale.ROOT, "%.0f MiB", f.cold().peakRssMib()),
                f -> f.cold() != null && f.cold().peakRssMib() != null && f.cold().peakRssMib() <= PEAK_RSS_MIB));
        Flows.Flow order = flows.stream().filter(f -> f.name().startsWith(Flows.ORDER)).findFirst().orElse(null);
        boolean measured = order != null && order.status().equals("measured");
        targets.add(new Results.Target("AWS cost per 1,000 orders, email included", "≤ $0.217",
                measured ? String.format(Locale.ROOT, "$%.4f", order.total()) : order == null ? "n/a" : order.status(),
                measured && order.total() <= ORDER_COST_PER_1000));
        targets.add(scale(atScale));
        targets.add(campaign(campaign));
        return targets;
    }

    /** The campaign: one mail per recipient, the senders at SesMaxSendRate ± 10 %, the dispatcher without a Scan. */
    private static Results.Target campaign(CampaignFlow.Result campaign) {
        String what = "campaign: one mail per recipient, the senders' pace at SesMaxSendRate, the audience at scale without a Scan";
        String limit = "pace within " + Math.round(PACE_TOLERANCE * 100) + " % of the rate; 0 Scans";
        if (campaign == null || campaign.paced() == null) {
            return new Results.Target(what, limit, campaign == null ? "n/a" : campaign.status(), false);
        }
        CampaignFlow.Run paced = campaign.paced();
        boolean pace = paced.pacePerSecond() != null && paced.ratePerSecond() != null
                && Math.abs(paced.pacePerSecond() / paced.ratePerSecond() - 1) <= PACE_TOLERANCE;
        CampaignFlow.Scale scale = campaign.scale();
        String measured = String.format(Locale.ROOT, "%d mails to %d recipients at %.1f/s of %.0f/s%s", paced.mails(),
                paced.audience(), paced.pacePerSecond(), paced.ratePerSecond(), pace ? "" : " ✗")
                + (scale == null ? "" : String.format(Locale.ROOT, "; %,d dispatched with %.0f Scans, %.0f Queries",
                scale.audience(), scale.scans(), scale.subscriberQueries()));
        return new Results.Target(what, limit, campaign.status().equals("measured") ? measured : campaign.status() + "; " + measured,
                campaign.status().equals("measured") && pace && (scale == null || scale.scans() == 0));
    }

    /**
     * Read units on the orders table of the list page and of the access request: the big table's
     * ≤ the small's + 0.5; and the time of each at most twice the small table's.
     */
    private static Results.Target scale(OrdersAtScale.Result atScale) {
        String what = "orders-table read units and time of one order-list page and one access request, big table vs small";
        String limit = "≤ small + " + SCALE_READ_UNIT_TOLERANCE + " RRU, ≤ " + SCALE_TIME_FACTOR + "× small's ms";
        if (atScale == null || !atScale.status().equals("measured")) {
            return new Results.Target(what, limit, atScale == null ? "n/a" : atScale.status(), false);
        }
        List<String> parts = new ArrayList<>();
        boolean met = true;
        for (String kind : List.of(OrdersAtScale.LIST_PAGE, OrdersAtScale.ACCESS)) {
            OrdersAtScale.Row small = atScale.row(kind, atScale.small());
            OrdersAtScale.Row big = atScale.row(kind, atScale.big());
            boolean ok = small != null && big != null && ProbeOutput.succeeded(small.outcome())
                    && ProbeOutput.succeeded(big.outcome())
                    && big.ordersReadUnits() <= small.ordersReadUnits() + SCALE_READ_UNIT_TOLERANCE
                    && small.millis() != null && big.millis() != null && big.millis() <= small.millis() * SCALE_TIME_FACTOR;
            met &= ok;
            parts.add(String.format(Locale.ROOT, "%s %.1f RRU, %.0f ms at %,d → %.1f RRU, %.0f ms at %,d%s",
                    kind.startsWith("one page") ? "list page" : "access request",
                    small == null ? Double.NaN : small.ordersReadUnits(), millis(small), atScale.small(),
                    big == null ? Double.NaN : big.ordersReadUnits(), millis(big), atScale.big(), ok ? "" : " ✗"));
        }
        return new Results.Target(what, limit, String.join(", ", parts), met);
    }

    private static double millis(OrdersAtScale.Row row) {
        return row == null || row.millis() == null ? Double.NaN : row.millis();
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
