package shop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import shop.core.email.EmailAddress;
import shop.core.security.AddressHasher;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalParameters;
import shop.local.stack.SentMail;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Issue 15's campaign check, through the campaigns jar's four handlers in this JVM:
 * <ol>
 *   <li>a campaign to the confirmed subscribers (a few hundred seeded with BatchWriteItem) end to
 *       end: the owner's create and send (CampaignsFunction), the dispatcher's run, then the
 *       queued messages handed one by one to two senders at once (each its own handler, as the
 *       event source's MaximumConcurrency of 2 runs two execution environments), at the
 *       template's SesMaxSendRate. Its AWS calls and Lambda time priced per 1,000 recipients,
 *       its time per 1,000, the pace the senders kept against the rate, and one mail per
 *       recipient checked in the SES stand-in's mailbox;</li>
 *   <li>the same audience again with one sender whose rate is unbounded: how fast the code
 *       itself goes, which the rate must stay under for the rate to set the time;</li>
 *   <li>an audience at scale (100,000 confirmed subscribers): the dispatcher's run over all of
 *       it, its Queries of the sparse index, no Scan, the items and read units it took, and its
 *       time next to the time the senders need at the rate. Its messages are dropped, not sent.</li>
 * </ol>
 * It runs last: the big subscribers table would slow what reads that table (an access request scans it).
 */
final class CampaignFlow {
    static final String OWNER = "CampaignsFunction";
    static final String DISPATCH = "CampaignDispatchFunction";
    static final String SEND = "CampaignSendFunction";
    static final String NAME = "campaign (create + send + dispatch + paced senders)";
    /** The event source's MaximumConcurrency in template.yaml: two senders at once. */
    static final int SENDERS = 2;
    private static final String DOMAIN = "@campaign.bench.example";
    /** The dispatcher's (RecipientQueue.RECIPIENTS_PER_MESSAGE in functions/campaigns). */
    private static final int RECIPIENTS_PER_MESSAGE = 25;

    /** One campaign as run: what it cost, how many it reached, how long each part took. */
    record Run(Flows.Flow flow, long audience, long mails, long distinctRecipients, boolean onePerRecipient,
               int senders, Double ratePerSecond, Double dispatchSeconds, Double sendSeconds, Double pacePerSecond,
               Double secondsPer1000, Double lambdaSecondsPer1000, Double senderMsPerMail, Double awsMsPerMail) {
    }

    /** The dispatcher over a big audience: its calls, reads and time. */
    record Scale(long audience, long tableItems, Double fillSeconds, int invocations, long queued, Double dispatchSeconds,
                 double subscriberQueries, double scans, double itemsRead, double readUnits, double readUnitsReported,
                 double sqsCalls, Double sendSecondsAtRate, String outcome) {
    }

    /** The whole check; {@code scale} null when skipped. */
    record Result(String status, Run paced, Run unpaced, Scale scale) {
        static Result notApplicable(String why) {
            return new Result("n/a: " + why, null, null, null);
        }
    }

    private final LocalAws aws;
    private final Map<String, InProcess> hosts;
    private final Map<String, Map<String, String>> environments;
    private final EventSamples samples;
    private final HelperJars jars;
    private final DynamoDbClient dynamo;
    private final AddressHasher hasher = new AddressHasher(LocalParameters.ADDRESS_HASH_KEY);
    private final String subscribers;
    private final String tag = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);

    CampaignFlow(LocalAws aws, Map<String, InProcess> hosts, Map<String, Map<String, String>> environments,
                 EventSamples samples, HelperJars jars) {
        this.aws = aws;
        this.hosts = hosts;
        this.environments = environments;
        this.samples = samples;
        this.jars = jars;
        this.dynamo = aws.dynamo();
        this.subscribers = aws.physicalName("SubscribersTable");
    }

    Result run(int recipients, long audience) {
        if (recipients <= 0) {
            return Result.notApplicable("skipped (--recipients 0)");
        }
        List<String> missing = List.of(OWNER, DISPATCH, SEND).stream().filter(id -> !hosts.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            return Result.notApplicable("no " + String.join(", ", missing));
        }
        List<InProcess> extra = new ArrayList<>();
        try {
            FunctionUnderTest send = hosts.get(SEND).function();
            Bench.log("Campaign: seeding " + recipients + " confirmed subscribers");
            long seeded = fill(0, recipients);
            InProcess second = InProcess.start(send, jars, environments.get(SEND));
            extra.add(second);
            double rate = Double.parseDouble(environments.get(SEND).get("SES_MAX_SEND_RATE"));
            Run paced = campaign("paced", List.of(hosts.get(SEND), second), seeded, rate);
            Map<String, String> unbounded = aws.functionEnvironment(SEND, Map.of("SesMaxSendRate", "1000000"));
            InProcess fast = InProcess.start(send, jars, unbounded);
            extra.add(fast);
            Run unpaced = campaign("unpaced", List.of(fast), seeded, Double.NaN);
            Scale scale = audience > 0 ? scale(audience, seeded, rate) : null;
            String status = !paced.onePerRecipient() || !unpaced.onePerRecipient()
                    ? "failed: not one mail per recipient" + mailsSummary(paced) + mailsSummary(unpaced)
                    : !paced.flow().status().equals("measured") ? paced.flow().status()
                    : !unpaced.flow().status().equals("measured") ? unpaced.flow().status()
                    : scale != null && !scale.outcome().equals("ok") ? "failed: " + scale.outcome()
                    : "measured";
            return new Result(status, paced, unpaced, scale);
        } catch (Exception | LinkageError e) {
            return new Result("failed: " + e, null, null, null);
        } finally {
            for (InProcess host : extra) {
                try {
                    host.close();
                } catch (Exception ignored) {
                    // only a class loader
                }
            }
        }
    }

    private static String mailsSummary(Run run) {
        return String.format(Locale.ROOT, " (%s: %d mails to %d distinct recipients of an audience of %d)",
                run.flow().name(), run.mails(), run.distinctRecipients(), run.audience());
    }

    /**
     * One campaign: created and sent by the owner, dispatched, and its messages handed out by this
     * bench as the event source mapping would (BatchSize 1), to {@code senders} at once, which
     * together may send {@code rate} mails a second (NaN: unbounded).
     */
    private Run campaign(String kind, List<InProcess> senders, long seeded, double rate) throws Exception {
        Instant started = Instant.now().minusSeconds(1);
        String subject = "Bench campaign " + tag + " (" + kind + ")";
        List<Flows.Step> steps = Collections.synchronizedList(new ArrayList<>());
        drain(senders);

        JsonNode created = answer(step(steps, hosts.get(OWNER), ownerEvent("create-campaign.json", null,
                EventSamples.JSON.createObjectNode().put("subject", subject)
                        .put("html", "<h1>Winter collection</h1><p>Twelve new pieces in <b>silver and garnet</b>.</p>"
                                + "<p><a href=\"https://shop.example.com/winter.html\">See them</a></p>").toString()), 0));
        String id = created.path("id").asText();
        step(steps, hosts.get(OWNER), ownerEvent("send-campaign-at.json", id, null), 0);

        Set<String> audience = audienceHashes();
        long dispatchStarted = System.nanoTime();
        dispatchUntilDone(steps, id);
        double dispatchSeconds = (System.nanoTime() - dispatchStarted) / 1e9;

        Map<String, Double> counts = drain(senders);
        long sendStarted = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(senders.size());
        try {
            List<Future<Void>> running = new ArrayList<>();
            for (InProcess sender : senders) {
                running.add(pool.submit(() -> {
                    consume(steps, sender);
                    return null;
                }));
            }
            for (Future<Void> sender : running) {
                sender.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double sendSeconds = (System.nanoTime() - sendStarted) / 1e9;

        Map<String, Double> sending = drain(senders);
        sending.forEach((key, value) -> counts.merge(key, value, Double::sum));
        List<SentMail> mails = aws.mailbox().since(started).stream().filter(m -> m.subject().equals(subject)).toList();
        Map<String, Integer> perRecipient = new HashMap<>();
        for (SentMail mail : mails) {
            for (String to : mail.to()) {
                perRecipient.merge(hasher.hash(new EmailAddress(to)), 1, Integer::sum);
            }
        }
        boolean once = mails.size() == audience.size() && perRecipient.keySet().equals(audience)
                && perRecipient.values().stream().allMatch(n -> n == 1) && audience.size() >= seeded;
        long mailed = mails.size();
        // Per mail sent (none sent: the figures are per campaign, and the status says it failed).
        double perMail = Math.max(1, mailed);
        Map<String, Double> cost = new java.util.LinkedHashMap<>();
        Flows.costPer1000(List.copyOf(steps), counts).forEach((service, usd) -> cost.put(service, usd / perMail));
        String name = kind.equals("paced") ? NAME : "campaign with one unpaced sender (the code's own speed)";
        // The senders are through: the last of them made the campaign SENT.
        String finalStatus = status(id);
        Flows.Flow flow = new Flows.Flow(name, !once ? "failed: not one mail per recipient"
                : !finalStatus.equals("SENT") ? "failed: the campaign is " + finalStatus + " after its senders, not SENT"
                : "measured", List.copyOf(steps), counts, cost);
        double lambdaSeconds = steps.stream().mapToDouble(s -> Math.ceil(s.millis()) / 1000).sum();
        double senderMillis = steps.stream().filter(s -> s.function().equals(SEND)).mapToDouble(Flows.Step::millis).sum();
        Bench.log(String.format(Locale.ROOT, "Campaign (%s): %d mails to an audience of %d, dispatch %.1f s, send %.1f s (%.1f/s)",
                kind, mailed, audience.size(), dispatchSeconds, sendSeconds, mailed / sendSeconds));
        return new Run(flow, audience.size(), mailed, perRecipient.size(), once, senders.size(),
                Results.number(rate), Results.number(dispatchSeconds), Results.number(sendSeconds),
                Results.number(mailed / sendSeconds), Results.number((dispatchSeconds + sendSeconds) / perMail * 1000),
                Results.number(lambdaSeconds / perMail * 1000), Results.number(senderMillis / perMail),
                Results.number(sending.getOrDefault("aws.ms", Double.NaN) / perMail));
    }

    private void dispatchUntilDone(List<Flows.Step> steps, String id) throws Exception {
        InProcess dispatcher = hosts.get(DISPATCH);
        JsonNode sample = EventSamples.read(dispatcher.function().eventsDir().resolve("dispatch-every-minute.json"));
        // Each run queues until its time is nearly up and the next minute's run goes on.
        // DISPATCHED, or already SENT when there was no one to send to.
        for (int run = 0; run < 20 && !Set.of("DISPATCHED", "SENT").contains(status(id)); run++) {
            step(steps, dispatcher, samples.fresh(sample, environments.get(DISPATCH)), 0);
        }
        if (!Set.of("DISPATCHED", "SENT").contains(status(id))) {
            throw new IllegalStateException("campaign " + id + " is still " + status(id) + " after 20 dispatcher runs");
        }
    }

    /** The event source mapping of one sender: one message an invocation, deleted unless the answer names it failed. */
    private void consume(List<Flows.Step> steps, InProcess sender) throws Exception {
        String queueUrl = aws.queueUrl(aws.template(), "CampaignRecipientsQueue");
        JsonNode sample = EventSamples.read(sender.function().eventsDir().resolve("recipients-batch.json"));
        while (true) {
            List<Message> messages = aws.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(1)).messages();
            if (messages.isEmpty()) {
                return;
            }
            Message message = messages.get(0);
            ObjectNode event = (ObjectNode) sample.deepCopy();
            ObjectNode record = (ObjectNode) event.get("Records").get(0);
            record.put("messageId", message.messageId());
            record.put("receiptHandle", message.receiptHandle());
            record.put("body", message.body());
            record.put("md5OfBody", message.md5OfBody());
            step(steps, sender, event.toString(), 1);
            aws.sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        }
    }

    private Scale scale(long audience, long seeded, double rate) throws Exception {
        long existing = audienceHashes().size();
        long started = System.nanoTime();
        long added = fill(seeded, Math.max(0, audience - existing));
        double fillSeconds = (System.nanoTime() - started) / 1e9;
        long size = existing + added;
        long tableItems = 0;
        // The bench's own count; no function scans.
        for (var page : dynamo.scanPaginator(s -> s.tableName(subscribers).select(Select.COUNT))) {
            tableItems += page.count();
        }
        List<Flows.Step> steps = new ArrayList<>();
        String subject = "Bench campaign " + tag + " (audience at scale)";
        JsonNode created = answer(step(steps, hosts.get(OWNER), ownerEvent("create-campaign.json", null,
                EventSamples.JSON.createObjectNode().put("subject", subject).put("html", "<p>At scale</p>").toString()), 0));
        String id = created.path("id").asText();
        step(steps, hosts.get(OWNER), ownerEvent("send-campaign-at.json", id, null), 0);
        steps.clear();
        drain(List.of());
        Bench.log("Campaign: dispatching an audience of " + size);
        long dispatchStarted = System.nanoTime();
        dispatchUntilDone(steps, id);
        double seconds = (System.nanoTime() - dispatchStarted) / 1e9;
        Map<String, Double> counts = drain(List.of());
        String queueUrl = aws.queueUrl(aws.template(), "CampaignRecipientsQueue");
        long queued = Long.parseLong(aws.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNamesWithStrings("ApproximateNumberOfMessages")).attributesAsStrings()
                .get("ApproximateNumberOfMessages"));
        // Not sent: at the SES rate that is hours of mail.
        aws.sqs().purgeQueue(b -> b.queueUrl(queueUrl));
        double scans = counts.getOrDefault("call:DynamoDb.Scan", 0.0);
        double sqsCalls = counts.entrySet().stream().filter(e -> e.getKey().startsWith("call:Sqs."))
                .mapToDouble(Map.Entry::getValue).sum();
        double itemsRead = counts.getOrDefault("dynamodb.items@" + subscribers, 0.0);
        long expectedMessages = (size + RECIPIENTS_PER_MESSAGE - 1) / RECIPIENTS_PER_MESSAGE;
        String outcome = scans > 0 ? "the dispatcher scanned"
                : itemsRead != size ? "read " + Math.round(itemsRead) + " items for an audience of " + size
                : queued < expectedMessages ? "queued " + queued + " messages for " + size + " recipients"
                : "ok";
        Bench.log(String.format(Locale.ROOT, "Campaign: dispatched %d in %.1f s (%s)", size, seconds, outcome));
        return new Scale(size, tableItems, Results.number(fillSeconds), steps.size(), queued, Results.number(seconds),
                counts.getOrDefault("dynamodb.calls@" + subscribers, 0.0), scans, itemsRead,
                counts.getOrDefault("dynamodb.rru.bySize@" + subscribers, 0.0), counts.getOrDefault("dynamodb.rru.reported", 0.0),
                sqsCalls, Results.number(size / rate), outcome);
    }

    /** Confirmed subscribers {@code from} … {@code from + count - 1}, as the newsletter writes them, 25 to a BatchWriteItem. */
    private long fill(long from, long count) {
        Bench.log("Campaign: writing " + count + " confirmed subscribers");
        return OrdersAtScale.fill(dynamo, subscribers, from, count, this::subscriber);
    }

    /** A confirmed subscriber as functions/newsletter stores one: with the sparse index's attribute. */
    private Map<String, AttributeValue> subscriber(long i) {
        String address = "reader" + i + "." + tag + DOMAIN;
        Map<String, AttributeValue> consent = Map.of(
                "givenAt", AttributeValue.fromS("2026-11-01T10:00:00Z"), "policyVersion", AttributeValue.fromS("2016-07-01"),
                "source", AttributeValue.fromS("bench"), "signupIpPrefix", AttributeValue.fromS("198.18.0.0/24"),
                "signupUserAgent", AttributeValue.fromS("bench"), "ageConfirmed", AttributeValue.fromBool(true),
                "confirmedAt", AttributeValue.fromS("2026-11-01T10:05:00Z"),
                "confirmIpPrefix", AttributeValue.fromS("198.18.0.0/24"), "confirmUserAgent", AttributeValue.fromS("bench"));
        return Map.of("pk", AttributeValue.fromS("SUBSCRIBER#" + hasher.hash(new EmailAddress(address))),
                "email", AttributeValue.fromS(address), "status", AttributeValue.fromS("CONFIRMED"),
                "audience", AttributeValue.fromS("newsletter"), "consent", AttributeValue.fromM(consent));
    }

    /** The address hashes of the confirmed subscribers now, read by the bench itself from the sparse index. */
    private Set<String> audienceHashes() {
        Set<String> hashes = new HashSet<>();
        for (var page : dynamo.queryPaginator(q -> q.tableName(subscribers).indexName("ConfirmedSubscribers")
                .keyConditionExpression("audience = :a").expressionAttributeValues(Map.of(":a", AttributeValue.fromS("newsletter"))))) {
            page.items().forEach(item -> hashes.add(item.get("pk").s().substring("SUBSCRIBER#".length())));
        }
        return hashes;
    }

    private String status(String id) {
        var item = dynamo.getItem(g -> g.tableName(aws.physicalName("CampaignsTable"))
                .key(Map.of("pk", AttributeValue.fromS("CAMPAIGN#" + id))).consistentRead(true)).item();
        return item == null || !item.containsKey("status") ? "GONE" : item.get("status").s();
    }

    /** An owner's request from the sample {@code file}, on campaign {@code id} if given, with {@code body}. */
    private String ownerEvent(String file, String id, String body) throws Exception {
        InProcess owner = hosts.get(OWNER);
        ObjectNode event = (ObjectNode) EventSamples.JSON.readTree(samples.fresh(
                EventSamples.read(owner.function().eventsDir().resolve(file)), environments.get(OWNER)));
        if (id != null) {
            String path = event.get("rawPath").asText().replaceFirst("/admin/campaigns/[^/]+", "/admin/campaigns/" + id);
            event.put("rawPath", path);
            ((ObjectNode) event.get("requestContext").get("http")).put("path", path);
            event.putObject("pathParameters").put("id", id);
        }
        if (body == null) {
            event.remove("body");
        } else {
            event.put("body", body);
        }
        return event.toString();
    }

    private static JsonNode answer(InProcess.Invocation invocation) throws Exception {
        return EventSamples.JSON.readTree(EventSamples.JSON.readTree(invocation.answer()).path("body").asText());
    }

    private static InProcess.Invocation step(List<Flows.Step> steps, InProcess host, String event, int sqsMessages)
            throws Exception {
        InProcess.Invocation invocation = host.invoke(event);
        FunctionUnderTest function = host.function();
        steps.add(new Flows.Step(function.logicalId(), invocation.millis(), function.memoryMb(),
                function.trigger() == FunctionUnderTest.Trigger.HTTP_API, sqsMessages, invocation.outcome()));
        if (!invocation.succeeded()) {
            throw new IllegalStateException(function.logicalId() + " answered " + invocation.outcome() + ": "
                    + invocation.answer());
        }
        return invocation;
    }

    /** What every in-process function (and {@code others}) counted since the last drain. */
    private Map<String, Double> drain(Collection<InProcess> others) throws ReflectiveOperationException {
        Map<String, Double> counts = new TreeMap<>();
        Set<InProcess> all = new HashSet<>(hosts.values());
        all.addAll(others);
        for (InProcess host : all) {
            host.drainCounts().forEach((key, value) -> counts.merge(key, value, Double::sum));
        }
        return counts;
    }
}
