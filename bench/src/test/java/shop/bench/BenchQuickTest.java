package shop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import shop.local.stack.CfnTemplate;

/**
 * The quick mode against the real jars of template.yaml (a full build packages them before
 * this module's tests run): one row per function with figures that make sense. It checks
 * structure, not speed: the targets are the bench's output, not this test's business, because
 * timings on a shared machine are noise.
 *
 * <p>Since every handler is loaded from its shipped jar alone and invoked for real against the
 * local stack, this is also the proof that the minimised jars keep what they load reflectively.
 */
class BenchQuickTest {

    @Test
    void quickRunMeasuresEveryFunctionOfTheTemplate(@TempDir Path out) throws Exception {
        CfnTemplate template = CfnTemplate.load();
        Results results = new Bench(Options.parse("--quick"), template).run();
        Report.write(results, out, null);

        List<String> expected = FunctionUnderTest.discover(template).stream().map(FunctionUnderTest::label).toList();
        assertEquals(expected, results.functions().stream().map(Results.Function::label).toList());

        Results.Cold floor = results.floor();
        assertEquals(0, floor.failed(), "the empty main failed");
        assertTrue(floor.medianMs() > 0 && floor.peakRssMib() > 0, "floor: " + floor);
        assertTrue(floor.runQueueWaitMedianMs() != null && floor.runQueueWaitMedianMs() >= 0
                && floor.runQueueWaitMedianMs() < floor.medianMs(), "the floor's wait for a CPU: " + floor);

        for (Results.Function f : results.functions()) {
            assertEquals(List.of(), f.problems(), f.label());
            assertTrue(f.zippedMb() > 0 && f.unzippedMb() >= f.zippedMb() && f.classes() > 0, f.label() + ": " + f);
            assertNotNull(f.event(), f.label() + " has no sample event");

            Results.Cold cold = f.cold();
            assertEquals(2, cold.runs(), f.label());
            assertEquals(0, cold.failed(), f.label() + " cold start answered " + cold.outcome());
            assertTrue(cold.medianMs() > 0 && cold.initMedianMs() > 0 && cold.initMedianMs() < cold.medianMs(),
                    f.label() + ": " + cold);
            assertTrue(cold.ratioToFloor() > 1, f.label() + " starts faster than an empty JVM? " + cold);
            assertTrue(cold.peakRssMib() > 0, f.label() + ": " + cold);
            Results.Cold primed = f.primed();
            assertEquals(0, primed.failed(), f.label() + " primed start answered " + primed.outcome());
            assertTrue(primed.firstCallMedianMs() > 0, f.label() + ": " + primed);

            Results.Warm warm = f.warm();
            assertEquals(50, warm.invocations(), f.label());
            assertEquals(0, warm.failed(), f.label() + " failed warm invocations");
            assertTrue(warm.p50Ms() > 0 && warm.p99Ms() >= warm.p50Ms(), f.label() + ": " + warm);
        }

        Flows.Flow signup = results.flows().stream().filter(f -> f.name().equals(Flows.SIGNUP)).findFirst().orElseThrow();
        assertEquals("measured", signup.status());
        assertEquals(1.0, signup.counts().get("call:SesV2.SendEmail"), "one confirmation mail per signup");
        assertEquals(1.0, signup.counts().get("ses.recipients"));
        assertTrue(signup.counts().get("dynamodb.wru") > 0 && signup.total() > 0, signup.toString());
        for (Flows.Flow flow : results.flows()) {
            assertFalse(flow.status().startsWith("failed"), flow.name() + ": " + flow.status());
        }

        // Quick mode: 1,000 vs 10,000 orders (a full run: vs 100,000). Read units follow the page and
        // the person, not the table; times are only reported (the stand-in's Query walks the table).
        OrdersAtScale.Result atScale = results.ordersAtScale();
        assertEquals("measured", atScale.status());
        assertEquals(1_000, atScale.small());
        assertEquals(10_000, atScale.big());
        for (String kind : List.of(OrdersAtScale.LIST_PAGE, OrdersAtScale.ACCESS)) {
            OrdersAtScale.Row small = atScale.row(kind, atScale.small());
            OrdersAtScale.Row big = atScale.row(kind, atScale.big());
            assertTrue(shop.bench.probe.ProbeOutput.succeeded(small.outcome()) && shop.bench.probe.ProbeOutput.succeeded(big.outcome()),
                    small + " / " + big);
            assertTrue(small.ordersReadUnits() > 0 && small.ordersCalls() > 0 && small.millis() > 0, small.toString());
            assertTrue(big.ordersReadUnits() <= small.ordersReadUnits() + Targets.SCALE_READ_UNIT_TOLERANCE, small + " → " + big);
            assertEquals(small.ordersCalls(), big.ordersCalls(), kind + ": the same orders-table calls at either size");
            assertEquals(small.ordersItemsRead(), big.ordersItemsRead(), kind + ": the same orders read at either size");
        }
        assertEquals(25, atScale.row(OrdersAtScale.LIST_PAGE, atScale.big()).ordersItemsRead(), "one page of 25 read");
        // The export of the year reads every order of it (the small table's and the flows'), and is
        // measured here rather than as the back office's sample: that is the everyday "to ship".
        OrdersAtScale.Row export = atScale.row(OrdersAtScale.EXPORT, atScale.small());
        assertTrue(export.outcome().startsWith("HTTP_200: ") && export.ordersItemsRead() >= atScale.small(), export.toString());
        assertEquals(OrdersAtScale.LIST_SAMPLE, results.functions().stream()
                .filter(f -> f.label().equals("AdminOrders")).findFirst().orElseThrow().event());
        assertTrue(results.targets().stream().anyMatch(t -> t.what().startsWith("orders-table read units") && t.met()),
                results.targets().toString());

        // Quick mode: a campaign to the 100 seeded subscribers (and any the flows confirmed), paced by two
        // senders at the template's SesMaxSendRate, then by one unbounded sender; the dispatcher over 2,000.
        CampaignFlow.Result campaign = results.campaign();
        assertEquals("measured", campaign.status(), String.valueOf(campaign));
        for (CampaignFlow.Run run : List.of(campaign.paced(), campaign.unpaced())) {
            assertTrue(run.onePerRecipient(), run.toString());
            assertTrue(run.audience() >= 100, run.toString());
            assertEquals(run.audience(), run.mails(), "one mail per recipient, counted in the SES stand-in's mailbox");
            assertEquals(run.audience(), run.distinctRecipients());
            assertEquals((double) run.mails(), run.flow().counts().get("ses.recipients"));
            assertEquals(null, run.flow().counts().get("call:DynamoDb.Scan"), "a campaign scans nothing");
            assertTrue(run.flow().total() > Prices.SES_RECIPIENT * 1000, "SES alone is $0.10 per 1,000: " + run.flow());
        }
        CampaignFlow.Run paced = campaign.paced();
        assertEquals(CampaignFlow.SENDERS, paced.senders());
        assertEquals(14.0, paced.ratePerSecond(), "the template's SesMaxSendRate");
        // Never faster than SES allows (each sender's first mail goes at once, hence the tolerance);
        // how close to the rate it gets on a shared machine is reported, not asserted.
        assertTrue(paced.pacePerSecond() > 0 && paced.pacePerSecond() <= paced.ratePerSecond() * (1 + Targets.PACE_TOLERANCE),
                paced.toString());
        CampaignFlow.Scale scale = campaign.scale();
        assertEquals("ok", scale.outcome(), scale.toString());
        assertEquals(2_000, scale.audience());
        assertEquals(0.0, scale.scans(), "the audience is read from the sparse index, never a Scan");
        assertEquals(2.0, scale.subscriberQueries(), "two pages of 1,000 from the sparse index");
        assertEquals(2_000.0, scale.itemsRead(), "the items read are the audience, not the table");
        assertTrue(scale.tableItems() > scale.audience(), scale.toString());
        assertEquals(80, scale.queued(), "2,000 recipients, 25 a message");

        String markdown = Files.readString(out.resolve("RESULTS.md"));
        for (String name : expected) {
            assertTrue(markdown.contains("| " + name), "RESULTS.md has no row for " + name);
        }
        assertTrue(markdown.contains(Report.HISTORY));
        assertTrue(markdown.contains("| " + OrdersAtScale.LIST_PAGE + " | 10,000 |"), markdown);
        assertTrue(markdown.contains("## Campaign"), markdown);
        assertTrue(Files.readString(out.resolve("results.json")).contains("\"functions\""));
    }
}
