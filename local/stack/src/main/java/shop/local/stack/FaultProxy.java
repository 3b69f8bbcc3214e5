package shop.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An HTTP proxy that sits between the functions and one local stand-in (moto for DynamoDB, the SES
 * stand-in, any of them) and, on rules a test sets, answers as AWS does when it throttles or is
 * down instead of forwarding: "the next 2 PutItem calls on SubscribersTable",
 * "every SendEmail". Everything else is forwarded unchanged, and every call is recorded, so a
 * test can also see the retries the SDK made.
 * <pre>
 * try (FaultProxy dynamo = FaultProxy.start(aws.endpoint(Service.DYNAMODB))) {
 *     dynamo.inject(FaultProxy.dynamo("PutItem", table), FaultProxy.Fault.DYNAMODB_THROTTLING, 2);
 *     ... functions with AWS_ENDPOINT_URL_DYNAMODB = dynamo.uri() ...
 * }
 * </pre>
 * Request signatures are not checked by the stand-ins, so forwarding with another Host is fine.
 */
public final class FaultProxy implements AutoCloseable {

    /** A call the proxy received, and whether a fault answered it instead of the stand-in. */
    public record Call(String method, String path, Map<String, String> headers, byte[] body, Optional<Fault> fault) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The operation of an AWS JSON protocol call (X-Amz-Target {@code DynamoDB_20120810.PutItem} → PutItem). */
        public String target() {
            String target = header("x-amz-target");
            return target == null ? "" : target.substring(target.indexOf('.') + 1);
        }

        /**
         * The tables a DynamoDB call names: {@code TableName}, the keys of {@code RequestItems}, or
         * the tables of a transaction's operations ({@code TransactItems}).
         */
        public Set<String> tables() {
            JsonNode json = json();
            if (json.hasNonNull("TableName")) {
                return Set.of(json.get("TableName").asText());
            }
            Set<String> tables = new java.util.TreeSet<>();
            json.path("RequestItems").fieldNames().forEachRemaining(tables::add);
            json.path("TransactItems").forEach(item -> item.forEach(operation -> {
                if (operation.hasNonNull("TableName")) {
                    tables.add(operation.get("TableName").asText());
                }
            }));
            return tables;
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (IOException notJson) {
                return JSON.createObjectNode();
            }
        }

        public boolean faulted() {
            return fault.isPresent();
        }
    }

    /** What the proxy answers instead of forwarding. */
    public record Fault(String name, int status, Map<String, String> headers, String body) {
        /**
         * DynamoDB throttling a request to an on-demand table, as it goes over the wire (AWS JSON
         * 1.0: HTTP 400, the error's shape in {@code __type}); the SDK treats this code as throttling.
         */
        public static final Fault DYNAMODB_THROTTLING = new Fault("ProvisionedThroughputExceededException", 400,
                Map.of("Content-Type", "application/x-amz-json-1.0"),
                "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\","
                        + "\"message\":\"Throughput exceeds the current capacity of your table or index. DynamoDB is"
                        + " automatically scaling your table or index so please try again shortly. If exceptions"
                        + " persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/"
                        + "developerguide/bp-partition-key-design.html\"}");

        /**
         * A single-item write to an item that a transaction is writing at that moment: DynamoDB
         * refuses it with TransactionConflictException (HTTP 400), and nothing is written.
         */
        public static final Fault DYNAMODB_TRANSACTION_CONFLICT = new Fault("TransactionConflictException", 400,
                Map.of("Content-Type", "application/x-amz-json-1.0"),
                "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionConflictException\","
                        + "\"message\":\"Transaction is ongoing for the item\"}");

        /**
         * A two-item transaction cancelled because another transaction was writing its first
         * item: TransactionCanceledException with the reason TransactionConflict, nothing written.
         */
        public static final Fault DYNAMODB_TRANSACTION_CANCELLED_BY_CONFLICT = new Fault("TransactionCanceledException",
                400, Map.of("Content-Type", "application/x-amz-json-1.0"),
                "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\","
                        + "\"CancellationReasons\":[{\"Code\":\"TransactionConflict\","
                        + "\"Message\":\"Transaction is ongoing for the item\"},{\"Code\":\"None\"}],"
                        + "\"Message\":\"Transaction cancelled, please refer cancellation reasons for specific"
                        + " reasons [TransactionConflict, None]\"}");

        /** SES v2 (REST-JSON) over its sending rate: 429, the code in x-amzn-ErrorType. */
        public static final Fault SES_THROTTLING = new Fault("TooManyRequestsException", 429,
                Map.of("Content-Type", "application/json", "x-amzn-ErrorType", "TooManyRequestsException:"),
                "{\"message\":\"Maximum sending rate exceeded.\"}");

        /** Any AWS API having a bad moment: 503, as its front end answers. */
        public static final Fault SERVICE_UNAVAILABLE = new Fault("ServiceUnavailable", 503,
                Map.of("Content-Type", "application/json", "x-amzn-ErrorType", "ServiceUnavailableException:"),
                "{\"__type\":\"ServiceUnavailableException\",\"message\":\"Service is unavailable. Please try again.\"}");

        /** No answer at all: the connection is closed before a status line (an I/O error for the client). */
        public static final Fault CONNECTION_DROPPED = new Fault("connection dropped", 0, Map.of(), "");

        /**
         * The call reaches the stand-in and takes effect, but its answer is lost (the connection is
         * closed instead): what a client sees when the network fails after the service wrote.
         */
        public static final Fault ANSWER_LOST = new Fault("answer lost", -1, Map.of(), "");
    }

    /** A rule: which calls, what to answer, how many more times (then it is spent and calls go through). */
    public final class Rule {
        private final Predicate<Call> when;
        private final Fault fault;
        private final AtomicInteger remaining;
        private final AtomicInteger answered = new AtomicInteger();

        private Rule(Predicate<Call> when, Fault fault, int times) {
            this.when = when;
            this.fault = fault;
            this.remaining = new AtomicInteger(times);
        }

        /** How many calls this rule answered with its fault. */
        public int answered() {
            return answered.get();
        }

        /** Stops the rule: matching calls are forwarded again. */
        public void stop() {
            rules.remove(this);
        }

        private boolean take(Call call) {
            if (!when.test(call)) {
                return false;
            }
            int left = remaining.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1));
            if (left == 0) {
                return false;
            }
            answered.incrementAndGet();
            return true;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Headers the JDK client sets itself (or refuses), and hop-by-hop ones. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect",
            "upgrade", "transfer-encoding", "keep-alive");

    private final URI target;
    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    private FaultProxy(URI target, HttpServer server, ExecutorService executor) {
        this.target = target;
        this.server = server;
        this.executor = executor;
    }

    /** A proxy on a free port of 127.0.0.1 that forwards to {@code target} (a stand-in's base URL). */
    public static FaultProxy start(URI target) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "fault-proxy");
                thread.setDaemon(true);
                return thread;
            });
            FaultProxy proxy = new FaultProxy(target, server, executor);
            server.createContext("/", proxy::handle);
            server.setExecutor(executor);
            server.start();
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException("The fault proxy could not listen", e);
        }
    }

    /** Where to point a client instead of the stand-in. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers the next {@code times} calls matching {@code when} with {@code fault}. */
    public Rule inject(Predicate<Call> when, Fault fault, int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1");
        }
        Rule rule = new Rule(when, fault, times);
        rules.add(rule);
        return rule;
    }

    /** Answers every call matching {@code when} with {@code fault}, until the rule is stopped. */
    public Rule injectAlways(Predicate<Call> when, Fault fault) {
        return inject(when, fault, Integer.MAX_VALUE);
    }

    /** Every call so far, oldest first. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(Predicate<Call> which) {
        return calls.stream().filter(which).toList();
    }

    /** Stops every rule and forgets the calls seen. */
    public void reset() {
        rules.clear();
        calls.clear();
    }

    /** DynamoDB calls of {@code operation} (PutItem, UpdateItem, ...) on any table. */
    public static Predicate<Call> dynamo(String operation) {
        return call -> call.target().equals(operation);
    }

    /** DynamoDB calls of {@code operation} naming {@code table}. */
    public static Predicate<Call> dynamo(String operation, String table) {
        return call -> call.target().equals(operation) && call.tables().contains(table);
    }

    /** Calls whose body holds {@code text}: one item's key, say ({@code "S":"SUBSCRIBER#}), for a hot key. */
    public static Predicate<Call> bodyContains(String text) {
        return call -> call.bodyText().contains(text);
    }

    /** SES v2 SendEmail. */
    public static Predicate<Call> sesSendEmail() {
        return call -> call.method().equals("POST") && call.path().startsWith("/v2/email/outbound-emails");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                    String.join(",", values)));
            String path = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            Call seen = new Call(exchange.getRequestMethod(), path, Map.copyOf(headers), body, Optional.empty());
            Optional<Fault> fault = rules.stream().filter(rule -> rule.take(seen)).findFirst().map(rule -> rule.fault);
            calls.add(new Call(seen.method(), seen.path(), seen.headers(), body, fault));
            if (fault.isPresent() && fault.get().status() == Fault.ANSWER_LOST.status()) {
                forward(exchange, seen, false);
            } else if (fault.isPresent()) {
                answer(exchange, fault.get());
            } else {
                forward(exchange, seen, true);
            }
        }
    }

    private static void answer(HttpExchange exchange, Fault fault) throws IOException {
        if (fault.status() == 0) {
            return; // closing the exchange without a response drops the connection
        }
        fault.headers().forEach(exchange.getResponseHeaders()::set);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        byte[] bytes = fault.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(fault.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void forward(HttpExchange exchange, Call call, boolean answer) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.toString().replaceAll("/$", "") + call.path()))
                .timeout(Duration.ofSeconds(30))
                .method(call.method(), call.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(call.body()));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (IOException standInDown) {
            return; // as the stand-in did: no answer
        }
        if (!answer) {
            return; // written, and the connection closed without a status line
        }
        List<String> length = new ArrayList<>();
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("content-length")) {
                length.addAll(values);
            } else if (!NOT_FORWARDED.contains(lower) && !lower.equals(":status")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        byte[] bytes = response.body();
        boolean noBody = call.method().equals("HEAD") || response.statusCode() == 204 || response.statusCode() == 304;
        if (noBody && !length.isEmpty()) {
            exchange.getResponseHeaders().put("Content-Length", length);
        }
        exchange.sendResponseHeaders(response.statusCode(), noBody || bytes.length == 0 ? -1 : bytes.length);
        if (!noBody && bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "FaultProxy[" + uri() + " → " + target + "]";
    }
}
