package shop.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * RESULTS.md and results.json. Everything above the History section of RESULTS.md is rewritten
 * by every run; the History section is kept, and {@code --history} adds a line to it.
 */
final class Report {
    static final String HISTORY = "## History";

    private Report() {
    }

    static void write(Results results, Path dir, String historyNote) throws IOException {
        Files.createDirectories(dir);
        Path markdown = dir.resolve("RESULTS.md");
        String history = Files.isRegularFile(markdown) ? historyOf(Files.readString(markdown)) : newHistory();
        if (historyNote != null) {
            history = history.stripTrailing() + "\n" + historyLine(results, historyNote) + "\n";
        }
        Files.writeString(markdown, markdown(results) + "\n" + history);
        JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                .writeValue(dir.resolve("results.json").toFile(), results);
    }

    static String summary(Results results) {
        StringBuilder out = new StringBuilder("\n");
        results.targets().forEach(t -> out.append(t.met() ? "  met      " : "  NOT MET  ")
                .append(t.what()).append(" (").append(t.limit()).append("): ").append(t.measured()).append('\n'));
        String busy = Bench.busyMachine(results.floor());
        if (busy != null) {
            out.append("\n  ").append(busy).append('\n');
        }
        return out.toString();
    }

    private static String markdown(Results r) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark results\n\n");
        md.append("Written by `bench/run` (").append(r.mode()).append(" mode) at ").append(r.generatedAt())
                .append(". Everything above the History section is rewritten by each run.\n\n");
        md.append("Machine: ").append(r.machine().cpus()).append(" CPUs (shared), ").append(r.machine().os())
                .append(", ").append(r.machine().java()).append(". Cold starts run `java ")
                .append(r.machine().jvmFlags()).append("`.\n\n");

        md.append("## Targets\n\n| target | limit | measured | met |\n|---|---|---|---|\n");
        for (Results.Target t : r.targets()) {
            md.append("| ").append(t.what()).append(" | ").append(t.limit()).append(" | ").append(t.measured())
                    .append(" | ").append(t.met() ? "yes" : "**no**").append(" |\n");
        }

        md.append("\n## Functions\n\n");
        md.append("Cold start: a fresh JVM to the first response, ").append(r.floor().runs())
                .append(" runs each, interleaved with the bare-JVM floor; × floor is the ratio of the medians. ")
                .append("The function's package is unpacked first, as Lambda unpacks it into /var/task. ")
                .append("Waited: the median time the process's threads spent runnable but waiting for a CPU ")
                .append("(Linux schedstat), the share of the wall time other processes took.\n\n");
        String busy = Bench.busyMachine(r.floor());
        if (busy != null) {
            md.append("**").append(busy).append("**\n\n");
        }
        md.append("First call: from the end of init to the first response, in a fresh JVM and after the handler's ")
                .append("SnapStart priming ran (a stand-in for the first call after a restore, without the restore itself).\n\n");
        md.append("| function | jar: MB (unzipped) | classes | cold median / p90 ms | × floor | waited ms | of it init ms | peak RSS MiB | first call ms: cold → primed | warm p50 / p99 ms | event |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        Results.Cold floor = r.floor();
        md.append("| *bare JVM (empty main)* | | | ").append(ms(floor.medianMs())).append(" / ").append(ms(floor.p90Ms()))
                .append(" | 1.0 | ").append(ms(floor.runQueueWaitMedianMs())).append(" | | ")
                .append(num(floor.peakRssMib(), 0)).append(" | | | |\n");
        for (Results.Function f : r.functions()) {
            Results.Cold c = f.cold();
            Results.Warm w = f.warm();
            md.append("| ").append(f.label()).append(f.carriesStripe() ? " (stripe-java)" : "")
                    .append(" | ").append(f.jar().replaceFirst(".*/", "")).append(": ").append(num(f.zippedMb(), 2))
                    .append(" (").append(num(f.unzippedMb(), 1)).append(")")
                    .append(" | ").append(f.classes() == null ? "–" : f.classes())
                    .append(" | ").append(c == null ? "–" : ms(c.medianMs()) + " / " + ms(c.p90Ms()))
                    .append(" | ").append(c == null ? "–" : num(c.ratioToFloor(), 1) + "×")
                    .append(" | ").append(c == null ? "–" : ms(c.runQueueWaitMedianMs()))
                    .append(" | ").append(c == null ? "–" : ms(c.initMedianMs()))
                    .append(" | ").append(c == null ? "–" : num(c.peakRssMib(), 0))
                    .append(" | ").append(c == null ? "–" : ms(c.firstCallMedianMs())).append(" → ")
                    .append(f.primed() == null ? "–" : ms(f.primed().firstCallMedianMs()))
                    .append(" | ").append(w == null ? "–" : num(w.p50Ms(), 1) + " / " + num(w.p99Ms(), 1))
                    .append(" | ").append(f.event() == null ? "–" : f.event()).append(" |\n");
        }
        String problems = r.functions().stream().filter(f -> !f.problems().isEmpty())
                .map(f -> "- " + f.label() + ": " + String.join("; ", f.problems()))
                .collect(Collectors.joining("\n"));
        if (!problems.isEmpty()) {
            md.append("\nProblems:\n\n").append(problems).append('\n');
        }

        md.append("\n## Business flows: AWS calls and cost per 1,000\n\n");
        md.append("| flow | invocations | AWS calls | DynamoDB RRU / WRU | SES recipients | USD per 1,000 |\n|---|---|---|---|---|---|\n");
        for (Flows.Flow flow : r.flows()) {
            if (!flow.status().equals("measured")) {
                md.append("| ").append(flow.name()).append(" | ").append(flow.status()).append(" | | | | |\n");
                continue;
            }
            Map<String, Double> c = flow.counts();
            String calls = c.entrySet().stream().filter(e -> e.getKey().startsWith("call:"))
                    .map(e -> e.getKey().substring(5) + " ×" + Math.round(e.getValue())).collect(Collectors.joining(", "));
            md.append("| ").append(flow.name())
                    .append(" | ").append(flow.steps().stream().map(Flows.Step::function).collect(Collectors.joining(", ")))
                    .append(" | ").append(calls)
                    .append(" | ").append(num(c.getOrDefault("dynamodb.rru", 0.0), 1)).append(" / ")
                    .append(num(c.getOrDefault("dynamodb.wru", 0.0), 1))
                    .append(c.containsKey("dynamodb.estimated") ? " (est.)" : "")
                    .append(" | ").append(Math.round(c.getOrDefault("ses.recipients", 0.0)))
                    .append(" | **").append(usd(flow.total())).append("** (")
                    .append(flow.costPer1000().entrySet().stream().filter(e -> !e.getKey().equals("total"))
                            .map(e -> e.getKey() + " " + usd(e.getValue())).collect(Collectors.joining(", ")))
                    .append(") |\n");
        }
        md.append("\nLambda is billed at the flow's measured in-process durations on this machine, ")
                .append("at each function's MemorySize; an SQS-triggered invocation adds the event source mapping's ")
                .append("ReceiveMessage and DeleteMessageBatch. Free tiers are left out. DynamoDB units by DynamoDB's ")
                .append("rule, not the stand-in's flat figures: a read by the size it read (4 KB a unit, half eventually ")
                .append("consistent), a put by its item's size (1 KB a unit, twice in a transaction); an update, a delete or ")
                .append("a condition check, whose item the request does not carry, as one kilobyte at most (est.). Writes ")
                .append("to a table's indexes, which DynamoDB bills too, are not counted.\n");

        md.append(ordersAtScale(r.ordersAtScale()));
        md.append(campaign(r.campaign()));

        md.append("\n## Prices (USD, us-east-1, as of ").append(r.pricesAsOf()).append(")\n\n| item | USD | per | source |\n|---|---|---|---|\n");
        for (Prices.Price p : r.prices()) {
            md.append("| ").append(p.what()).append(" | ").append(String.format(Locale.ROOT, "%.10f", p.usd()).replaceAll("\\.?0+$", ""))
                    .append(" | ").append(p.unit()).append(" | ").append(p.source()).append(" |\n");
        }
        return md.toString();
    }

    private static String ordersAtScale(OrdersAtScale.Result scale) {
        StringBuilder md = new StringBuilder("\n## Orders at scale: the order list and an access request, small vs big table\n\n");
        if (scale == null || !scale.status().equals("measured")) {
            return md.append(scale == null ? "n/a" : scale.status()).append('\n').toString();
        }
        md.append(String.format(Locale.ROOT, "The orders table filled to %,d and then %,d orders with BatchWriteItem "
                + "(%.0f s, %.0f orders a second on the local DynamoDB stand-in). Read units by DynamoDB's rule: "
                + "the size of what each read evaluated, by 4 KB, half a unit if eventually consistent, at least one "
                + "unit a call; the stand-in itself reports a flat figure per call (in brackets). Time is the handler "
                + "call in this JVM; of it, the time inside DynamoDB calls (the local stand-in, like DynamoDB, reads "
                + "only the partition a Query asks for: local/moto_server.py).\n\n",
                scale.small(), scale.big(), scale.fillSeconds(), scale.fillPerSecond()));
        md.append("Calls, items and units: on the orders table, then in all (an access request also reads ")
                .append("the person's subscriptions, requests and visits).\n\n");
        md.append("| what | orders in the table | ms (of it in DynamoDB calls) | DynamoDB calls | items read | read units (all; stand-in's) | answer |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (OrdersAtScale.Row row : scale.rows()) {
            md.append("| ").append(row.what()).append(" | ").append(String.format(Locale.ROOT, "%,d", row.orders()))
                    .append(" | ").append(num(row.millis(), 1)).append(" (").append(num(row.dynamoMillis(), 1)).append(")")
                    .append(" | ").append(Math.round(row.ordersCalls())).append(" of ").append(Math.round(row.calls()))
                    .append(" | ").append(Math.round(row.ordersItemsRead())).append(" of ").append(Math.round(row.itemsRead()))
                    .append(" | ").append(num(row.ordersReadUnits(), 1)).append(" (").append(num(row.readUnits(), 1))
                    .append("; ").append(num(row.readUnitsReported(), 1)).append(")")
                    .append(" | ").append(row.outcome()).append(" |\n");
        }
        return md.toString();
    }

    private static String campaign(CampaignFlow.Result campaign) {
        StringBuilder md = new StringBuilder("\n## Campaign: cost and time per 1,000 recipients, the pace against SesMaxSendRate, an audience at scale\n\n");
        if (campaign == null || campaign.paced() == null) {
            return md.append(campaign == null ? "n/a" : campaign.status()).append('\n').toString();
        }
        CampaignFlow.Run paced = campaign.paced();
        if (!campaign.status().equals("measured")) {
            md.append("**").append(campaign.status()).append("**\n\n");
        }
        md.append(String.format(Locale.ROOT, "A campaign to the %,d confirmed subscribers (seeded with BatchWriteItem, "
                + "with those the flows confirmed), through the campaigns jar's handlers in this JVM: the owner's create "
                + "and send, the dispatcher's run, then the queued messages handed one at a time (BatchSize 1) to %d "
                + "senders at once, each its own handler as Lambda's execution environments under MaximumConcurrency "
                + "%d, at SesMaxSendRate %.0f a second (each sender keeps to its share). Then the same audience with "
                + "one sender whose rate is unbounded: the code's own speed. Mail is counted in the SES stand-in's "
                + "mailbox; cost per 1,000 mails sent, Lambda at the measured durations (a sender's includes its "
                + "waits for the pace, which Lambda bills).\n\n",
                paced.audience(), paced.senders(), CampaignFlow.SENDERS, paced.ratePerSecond()));
        md.append("| campaign | recipients | mails (one each) | invocations | AWS calls per 1,000 recipients | DynamoDB RRU / WRU per 1,000 | USD per 1,000 recipients | time per 1,000 recipients |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (CampaignFlow.Run run : java.util.stream.Stream.of(paced, campaign.unpaced()).filter(java.util.Objects::nonNull).toList()) {
            Flows.Flow flow = run.flow();
            double per1000 = 1000.0 / Math.max(1, run.mails());
            Map<String, Double> c = flow.counts();
            String invocations = flow.steps().stream().collect(Collectors.groupingBy(Flows.Step::function,
                    java.util.TreeMap::new, Collectors.counting())).entrySet().stream()
                    .map(e -> e.getKey() + " ×" + e.getValue()).collect(Collectors.joining(", "));
            String calls = c.entrySet().stream().filter(e -> e.getKey().startsWith("call:"))
                    .map(e -> e.getKey().substring(5) + " ×" + num(e.getValue() * per1000, 0)).collect(Collectors.joining(", "));
            md.append("| ").append(flow.name())
                    .append(" | ").append(String.format(Locale.ROOT, "%,d", run.audience()))
                    .append(" | ").append(run.mails()).append(run.onePerRecipient() ? " (yes)" : " (**no**: "
                            + run.distinctRecipients() + " distinct)")
                    .append(" | ").append(invocations)
                    .append(" | ").append(calls)
                    .append(" | ").append(num(c.getOrDefault("dynamodb.rru", 0.0) * per1000, 0)).append(" / ")
                    .append(num(c.getOrDefault("dynamodb.wru", 0.0) * per1000, 0))
                    .append(" | **").append(usd(flow.total())).append("** (")
                    .append(flow.costPer1000().entrySet().stream().filter(e -> !e.getKey().equals("total") && e.getValue() > 0)
                            .map(e -> e.getKey() + " " + usd(e.getValue())).collect(Collectors.joining(", ")))
                    .append(") | ").append(num(run.secondsPer1000(), 1)).append(" s (Lambda ")
                    .append(num(run.lambdaSecondsPer1000(), 1)).append(" s) |\n");
        }
        md.append("\nThe pace: the sending alone, from the first sender invocation to the last answer.\n\n");
        md.append("| campaign | senders | SesMaxSendRate | mails | dispatch s | sending s | sender ms per mail (of it in AWS calls) | measured pace, mails a second |\n|---|---|---|---|---|---|---|---|\n");
        for (CampaignFlow.Run run : java.util.stream.Stream.of(paced, campaign.unpaced()).filter(java.util.Objects::nonNull).toList()) {
            md.append("| ").append(run.flow().name()).append(" | ").append(run.senders())
                    .append(" | ").append(run.ratePerSecond() == null ? "unbounded" : num(run.ratePerSecond(), 0) + " a second")
                    .append(" | ").append(run.mails()).append(" | ").append(num(run.dispatchSeconds(), 2))
                    .append(" | ").append(num(run.sendSeconds(), 2))
                    .append(" | ").append(num(run.senderMsPerMail(), 0)).append(" (").append(num(run.awsMsPerMail(), 0)).append(")")
                    .append(" | **").append(num(run.pacePerSecond(), 1))
                    .append("** |\n");
        }
        CampaignFlow.Scale scale = campaign.scale();
        if (scale == null) {
            return md.append("\nThe audience at scale was skipped (--audience 0).\n").toString();
        }
        md.append(String.format(Locale.ROOT, "\nAn audience at scale: the subscribers table filled to %,d confirmed "
                + "subscribers with BatchWriteItem (%.0f s), %,d items in all; a campaign sent to them, and the dispatcher "
                + "run until it had queued every one (its messages are then dropped, not sent). Read units by DynamoDB's "
                + "rule (what each read evaluated, by 4 KB, half a unit eventually consistent); the stand-in's own figure "
                + "in brackets.\n\n", scale.audience(), scale.fillSeconds(), scale.tableItems()));
        md.append("| audience | table items | dispatcher runs | dispatch s | subscribers-table Queries | Scans | items read | read units (stand-in's) | SQS calls | messages queued | sending at SesMaxSendRate | answer |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| %,d | %,d | %d | %.1f | %.0f | **%.0f** | %,.0f | %.1f (%.1f) | %.0f | %,d | %,.0f s (%.1f h) | %s |\n",
                scale.audience(), scale.tableItems(), scale.invocations(), scale.dispatchSeconds(), scale.subscriberQueries(),
                scale.scans(), scale.itemsRead(), scale.readUnits(), scale.readUnitsReported(), scale.sqsCalls(),
                scale.queued(), scale.sendSecondsAtRate(), scale.sendSecondsAtRate() / 3600, scale.outcome()));
        return md.toString();
    }

    private static String newHistory() {
        return HISTORY + "\n\nBefore and after each optimisation, as ratios to the bare-JVM floor of the same run.\n\n"
                + "| date | change | floor ms | per function: jar MB, cold × floor, peak RSS MiB, first call cold → primed | USD per 1,000 orders |\n"
                + "|---|---|---|---|---|\n";
    }

    private static String historyOf(String markdown) {
        int at = markdown.indexOf(HISTORY);
        return at < 0 ? newHistory() : markdown.substring(at);
    }

    private static String historyLine(Results r, String note) {
        String perFunction = r.functions().stream().map(f -> f.label() + " " + num(f.zippedMb(), 1) + " MB, "
                + (f.cold() == null ? "–" : num(f.cold().ratioToFloor(), 1) + "×, " + num(f.cold().peakRssMib(), 0) + " MiB"
                + ", 1st call " + ms(f.cold().firstCallMedianMs()) + "→" + (f.primed() == null ? "–" : ms(f.primed().firstCallMedianMs())) + " ms"))
                .collect(Collectors.joining("; "));
        String order = r.flows().stream().filter(f -> f.name().startsWith(Flows.ORDER) && f.status().equals("measured"))
                .map(f -> usd(f.total())).findFirst().orElse("n/a");
        return "| " + r.generatedAt().substring(0, 10) + " | " + note + " (" + r.mode() + ")" + " | "
                + ms(r.floor().medianMs()) + " | " + perFunction + " | " + order + " |";
    }

    private static String ms(Double value) {
        return num(value, 0);
    }

    private static String num(Double value, int decimals) {
        return value == null ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String usd(double value) {
        return String.format(Locale.ROOT, "$%.4f", value);
    }

}
