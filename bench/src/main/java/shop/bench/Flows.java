package shop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import shop.local.stack.LocalAws;
import shop.local.stack.Mailbox;
import shop.local.stack.SentMail;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The business flows, run once each through the in-process handlers (the shipped jars) with
 * the AWS calls counted, and priced per 1,000. A flow whose functions are not in template.yaml
 * yet is "n/a"; it is measured from the run in which they appear.
 */
final class Flows {
    /** One handler invocation of a flow. */
    record Step(String function, double millis, int memoryMb, boolean http, int sqsMessages, String outcome) {
    }

    /** A flow as measured: its steps, the calls and units counted, and its cost per 1,000 runs by service. */
    record Flow(String name, String status, List<Step> steps, Map<String, Double> counts,
                Map<String, Double> costPer1000) {
        static Flow notApplicable(String name, String why) {
            return new Flow(name, "n/a: " + why, List.of(), Map.of(), Map.of());
        }

        double total() {
            return costPer1000.getOrDefault("total", Double.NaN);
        }
    }

    static final String SIGNUP = "newsletter signup (subscribe + queued signup + confirm)";
    static final String ORDER = "order (checkout + payment + notification)";
    static final String PRIVACY = "privacy request";

    private static final Pattern CONFIRM_TOKEN = Pattern.compile("/newsletter/confirm\\?token=([A-Za-z0-9_-]{43})");
    static final Pattern VERIFY_TOKEN = Pattern.compile("/privacy/requests/verify\\?token=([A-Za-z0-9_-]+)");
    private static final Pattern EXPORT_TOKEN = Pattern.compile("/privacy/exports\\?token=([A-Za-z0-9_-]+)");

    private final Map<String, InProcess> hosts;
    private final Map<String, Bench.EventSource> events;
    private final LocalAws aws;
    private final EventSamples samples;
    private final Optional<OrderPipeline> pipeline;

    Flows(Map<String, InProcess> hosts, Map<String, Bench.EventSource> events, LocalAws aws, EventSamples samples,
          Optional<OrderPipeline> pipeline) {
        this.hosts = hosts;
        this.events = events;
        this.aws = aws;
        this.samples = samples;
        this.pipeline = pipeline;
    }

    List<Flow> runAll() {
        return List.of(
                guarded(SIGNUP, this::signup),
                guarded(ORDER, this::order),
                guarded(PRIVACY, this::privacy));
    }

    private Flow signup() throws Exception {
        InProcess newsletter = hosts.get("NewsletterFunction");
        if (newsletter == null) {
            return Flow.notApplicable(SIGNUP, "no NewsletterFunction");
        }
        InProcess worker = hosts.get("NewsletterSignupFunction");
        if (worker == null) {
            return Flow.notApplicable(SIGNUP, "no NewsletterSignupFunction");
        }
        Recorder flow = new Recorder(SIGNUP);
        JsonNode subscribe = EventSamples.read(newsletter.function().eventsDir().resolve("subscribe.json"));
        String event = samples.fresh(subscribe, Map.of());
        String email = EventSamples.JSON.readTree(EventSamples.JSON.readTree(event).get("body").asText())
                .get("email").asText();
        flow.step(newsletter, event, 0);
        // The form only queues the signup; the signup function, given that message as the event
        // source mapping would, writes it and mails the link.
        flow.step(worker, signupEvent(worker, takeSignup(email)), 1);

        String token = null;
        for (SentMail mail : aws.mailbox().to(email)) {
            Matcher link = CONFIRM_TOKEN.matcher(mail.text() == null ? "" : mail.text());
            if (link.find()) {
                token = link.group(1);
            }
        }
        if (token == null) {
            throw new IllegalStateException("no confirmation mail reached " + email);
        }
        ObjectNode confirm = (ObjectNode) EventSamples.read(newsletter.function().eventsDir().resolve("confirm.json"));
        confirm.put("rawQueryString", "token=" + token);
        confirm.putObject("queryStringParameters").put("token", token);
        flow.step(newsletter, confirm.toString(), 0);
        return flow.finish();
    }

    /** The signup the form queued for {@code email}; the others the bench's runs queued are dropped. */
    private Message takeSignup(String email) {
        return OrderPipeline.take(aws.sqs(), aws.queueUrl(aws.template(), "NewsletterSignupQueue"), email,
                "The form queued no signup for " + email);
    }

    private static String signupEvent(InProcess worker, Message message) {
        ObjectNode event = (ObjectNode) EventSamples.read(worker.function().eventsDir().resolve("signup-queued.json"));
        ObjectNode record = (ObjectNode) event.get("Records").get(0);
        record.put("messageId", message.messageId());
        record.put("receiptHandle", message.receiptHandle());
        record.put("body", message.body());
        record.put("md5OfBody", message.md5OfBody());
        return event.toString();
    }

    /**
     * A customer checks out, pays at the Stripe stand-in, the webhook records the order and queues
     * its message, and the notification function, given that message as the event source mapping
     * would, mails the customer and the shop.
     */
    private Flow order() throws Exception {
        List<String> missing = List.of(OrderPipeline.CHECKOUT, OrderPipeline.WEBHOOK, OrderPipeline.NOTIFICATION).stream()
                .filter(id -> !hosts.containsKey(id)).toList();
        if (!missing.isEmpty() || pipeline.isEmpty()) {
            return Flow.notApplicable(ORDER, "no " + String.join(", ", missing));
        }
        OrderPipeline orders = pipeline.get();
        OrderPipeline.Checkout checkout = orders.checkout();
        Recorder flow = new Recorder(ORDER);
        InProcess.Invocation created = flow.step(hosts.get(OrderPipeline.CHECKOUT), checkout.event(), 0);
        var paid = orders.pay(checkout, created);
        flow.step(hosts.get(OrderPipeline.WEBHOOK), orders.webhookEvent(paid), 0);
        flow.step(hosts.get(OrderPipeline.NOTIFICATION),
                orders.notificationEvent(orders.takeMessage(OrderPipeline.sessionId(paid))), 1);
        return flow.finish();
    }

    /**
     * A customer asks for a copy of their data: the request, the link mailed to prove the
     * address, its confirmation (which builds the export and mails its link), and the download,
     * which answers with a presigned S3 URL.
     */
    private Flow privacy() throws Exception {
        InProcess requests = hosts.get("PrivacyRequestsFunction");
        if (requests == null) {
            return Flow.notApplicable(PRIVACY, "no PrivacyRequestsFunction");
        }
        Path events = requests.function().eventsDir();
        String submit = samples.fresh(EventSamples.read(events.resolve("submit-access.json")), Map.of());
        String email = EventSamples.JSON.readTree(EventSamples.JSON.readTree(submit).get("body").asText())
                .get("email").asText();
        Recorder flow = new Recorder(PRIVACY + " (access: request, confirm, download)");
        flow.step(requests, submit, 0);
        String verify = token(aws.mailbox(), email, VERIFY_TOKEN);
        flow.step(requests, withToken(EventSamples.read(events.resolve("verify-confirm.json")), verify), 0);
        String download = token(aws.mailbox(), email, EXPORT_TOKEN);
        flow.step(requests, withToken(EventSamples.read(events.resolve("download-export.json")), download), 0);
        return flow.finish();
    }

    /** The last token of this kind mailed to {@code email}. */
    static String token(Mailbox mailbox, String email, Pattern link) {
        String token = null;
        for (SentMail mail : mailbox.to(email)) {
            Matcher found = link.matcher(mail.text() == null ? "" : mail.text());
            while (found.find()) {
                token = found.group(1);
            }
        }
        if (token == null) {
            throw new IllegalStateException("no mail with a " + link.pattern() + " link reached " + email);
        }
        return token;
    }

    static String withToken(JsonNode sample, String token) {
        ObjectNode event = (ObjectNode) sample;
        event.put("rawQueryString", "token=" + token);
        event.putObject("queryStringParameters").put("token", token);
        return event.toString();
    }

    private interface FlowRun {
        Flow run() throws Exception;
    }

    private static Flow guarded(String name, FlowRun run) {
        try {
            return run.run();
        } catch (Exception | LinkageError e) {
            return new Flow(name, "failed: " + e, List.of(), Map.of(), Map.of());
        }
    }

    /** Counts from every in-process function, from the first step to the last. */
    private final class Recorder {
        private final String name;
        private final List<Step> steps = new ArrayList<>();

        Recorder(String name) throws ReflectiveOperationException {
            this.name = name;
            for (InProcess host : hosts.values()) {
                host.drainCounts();
            }
        }

        InProcess.Invocation step(InProcess host, String event, int sqsMessages) throws Exception {
            InProcess.Invocation invocation = host.invoke(event);
            FunctionUnderTest function = host.function();
            steps.add(new Step(function.logicalId(), invocation.millis(), function.memoryMb(),
                    function.trigger() == FunctionUnderTest.Trigger.HTTP_API, sqsMessages, invocation.outcome()));
            if (!invocation.succeeded()) {
                throw new IllegalStateException(function.logicalId() + " answered " + invocation.outcome());
            }
            return invocation;
        }

        Flow finish() throws ReflectiveOperationException {
            Map<String, Double> counts = new TreeMap<>();
            for (InProcess host : hosts.values()) {
                host.drainCounts().forEach((key, value) -> counts.merge(key, value, Double::sum));
            }
            return new Flow(name, "measured", List.copyOf(steps), counts, costPer1000(steps, counts));
        }
    }

    static Map<String, Double> costPer1000(List<Step> steps, Map<String, Double> counts) {
        double lambda = 0;
        double apiGateway = 0;
        double sqs = 0;
        for (Step step : steps) {
            lambda += Prices.LAMBDA_REQUEST
                    + Math.ceil(step.millis()) / 1000.0 * step.memoryMb() / 1024.0 * Prices.LAMBDA_ARM_GB_SECOND;
            apiGateway += step.http() ? Prices.HTTP_API_REQUEST : 0;
            sqs += step.sqsMessages() * Prices.ESM_REQUESTS_PER_MESSAGE * Prices.SQS_REQUEST;
        }
        double sqsCalls = counts.entrySet().stream().filter(e -> e.getKey().toLowerCase(Locale.ROOT).startsWith("call:sqs."))
                .mapToDouble(Map.Entry::getValue).sum();
        sqs += sqsCalls * Prices.SQS_REQUEST;
        double dynamo = counts.getOrDefault("dynamodb.rru", 0.0) * Prices.DYNAMODB_READ_UNIT
                + counts.getOrDefault("dynamodb.wru", 0.0) * Prices.DYNAMODB_WRITE_UNIT;
        double ses = counts.getOrDefault("ses.recipients", 0.0) * Prices.SES_RECIPIENT;
        double s3 = 0;
        for (var call : counts.entrySet()) {
            if (call.getKey().startsWith("call:S3.")) {
                String operation = call.getKey().substring("call:S3.".length());
                s3 += call.getValue() * (operation.startsWith("Delete") ? 0
                        : operation.startsWith("Get") || operation.startsWith("Head") ? Prices.S3_READ_REQUEST
                        : Prices.S3_WRITE_REQUEST);
            }
        }
        Map<String, Double> cost = new LinkedHashMap<>();
        cost.put("lambda", lambda * 1000);
        cost.put("apiGateway", apiGateway * 1000);
        cost.put("dynamodb", dynamo * 1000);
        cost.put("sqs", sqs * 1000);
        cost.put("ses", ses * 1000);
        cost.put("s3", s3 * 1000);
        cost.put("total", (lambda + apiGateway + dynamo + sqs + ses + s3) * 1000);
        return cost;
    }
}
