package shop.core.snapstart;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.function.Consumer;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import shop.core.dynamo.DynamoTransactions;
import shop.core.logging.Log;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * SnapStart priming. Lambda initialises a function once, snapshots it and starts copies from
 * the snapshot; what ran before the snapshot is warm in every copy. A handler registers here,
 * from its public no-arg constructor (the one Lambda calls), calls that change nothing: a
 * lookup of a key that cannot exist, a request its validation rejects, an SDK call stopped just
 * before it would be sent ({@link #unsent}). They load and
 * initialise the SDK's clients, Jackson and the handler's own path before the snapshot
 * (CRaC's beforeCheckpoint), so the first request after a restore does not.
 *
 * <p>Priming must never generate what has to be unique (tokens, ids): every copy would share
 * it. And it never fails the snapshot: a failed priming call is logged and forgotten.
 */
public final class Priming implements Resource {
    /** CRaC holds resources weakly; these must live as long as the function. */
    private static final List<Priming> REGISTERED = new CopyOnWriteArrayList<>();

    private final String function;
    private final Runnable calls;

    private Priming(String function, Runnable calls) {
        this.function = function;
        this.calls = calls;
    }

    /** Runs {@code calls} before the SnapStart snapshot of {@code function}. */
    public static void beforeSnapshot(String function, Runnable calls) {
        Priming priming = new Priming(function, calls);
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
    }

    /**
     * Runs every registered priming now, as Lambda's beforeCheckpoint does: for JVMs without
     * CRaC, where nothing else would (the tests, and bench/, which measures a primed start).
     */
    public static void runRegistered() {
        REGISTERED.forEach(priming -> priming.beforeCheckpoint(null));
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        long started = System.nanoTime();
        try {
            calls.run();
            Log.info("snapstart_primed", Map.of("function", function, "ms", (System.nanoTime() - started) / 1_000_000));
        } catch (RuntimeException | LinkageError e) {
            Log.warn("snapstart_priming_failed", Map.of("function", function, "exception", e.getClass().getName()));
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to renew: clients read credentials per request, and nothing unique was made.
    }

    /** The DynamoDB calls a function makes, to be primed. */
    public enum DynamoCall {
        GET, PUT, UPDATE, DELETE,
        /** A one-update TransactWriteItems (allowed by UpdateItem), refused and answered as a cancellation. */
        TRANSACT
    }

    /**
     * DynamoDB calls on a key no item has: a GetItem that finds nothing, and writes refused by
     * their condition. They load the read and write paths and DynamoDB's ConditionalCheckFailed
     * answer, and write nothing. Prime only calls the function's IAM policy in template.yaml
     * allows on that key, or the priming fails with AccessDenied. (A refused write is billed as
     * one write unit, once per snapshot.)
     */
    public static void dynamo(DynamoDbClient dynamo, String table, String keyAttribute, String keyValue,
                              DynamoCall... calls) {
        Map<String, AttributeValue> key = Map.of(keyAttribute, AttributeValue.fromS(keyValue));
        String mustExist = "attribute_exists(#key)";
        Map<String, String> names = Map.of("#key", keyAttribute);
        for (DynamoCall call : calls) {
            switch (call) {
                case GET -> dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true));
                case PUT -> refused(() -> dynamo.putItem(b -> b.tableName(table).item(key)
                        .conditionExpression(mustExist).expressionAttributeNames(names)));
                case UPDATE -> refused(() -> dynamo.updateItem(b -> b.tableName(table).key(key)
                        .updateExpression("SET primedAt = :never").conditionExpression(mustExist)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(Map.of(":never", AttributeValue.fromS("never")))));
                case DELETE -> refused(() -> dynamo.deleteItem(b -> b.tableName(table).key(key)
                        .conditionExpression(mustExist).expressionAttributeNames(names)));
                case TRANSACT -> {
                    var update = TransactWriteItem.builder().update(b -> b.tableName(table).key(key)
                            .updateExpression("SET primedAt = :never").conditionExpression(mustExist)
                            .expressionAttributeNames(names)
                            .expressionAttributeValues(Map.of(":never", AttributeValue.fromS("never")))).build();
                    if (DynamoTransactions.write(dynamo, "priming", List.of(update)).isEmpty()) {
                        throw new IllegalStateException("A priming transaction was not refused");
                    }
                }
            }
        }
    }

    private static void refused(Runnable write) {
        try {
            write.run();
            throw new IllegalStateException("A priming write was not refused");
        } catch (ConditionalCheckFailedException expected) {
            // What priming is for: the refusal, parsed like any other answer.
        }
    }

    /**
     * An SDK call that goes through the whole client (validation, marshalling, endpoint rules,
     * credentials, signing, the client's interceptors) and is stopped just before it would be
     * sent: nothing reaches AWS, so nothing is written, sent or billed, and no IAM permission is
     * needed. For calls that have no harmless form (SES SendEmail, SQS SendMessage, an S3 write,
     * reading a secret that must not be in the snapshot). {@code call} makes its request with the
     * override configuration it is given.
     */
    public static void unsent(Consumer<AwsRequestOverrideConfiguration> call) {
        try {
            call.accept(UNSENT);
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof Unsent) {
                    return;
                }
            }
            throw e;
        }
    }

    /** Adds, for one request only, the interceptor that stops it once it is signed. */
    private static final AwsRequestOverrideConfiguration UNSENT = AwsRequestOverrideConfiguration.builder()
            .addPlugin(config -> config.overrideConfiguration(o -> o.addExecutionInterceptor(new StopBeforeSending())))
            .build();

    private static final class StopBeforeSending implements ExecutionInterceptor {
        @Override
        public void beforeTransmission(software.amazon.awssdk.core.interceptor.Context.BeforeTransmission context,
                                       ExecutionAttributes attributes) {
            throw new Unsent();
        }
    }

    private static final class Unsent extends RuntimeException {
        Unsent() {
            super("Primed; not sent", null, false, false);
        }
    }

    /** One SQS message as the event source mapping hands it to a handler, for priming calls. */
    public static SQSEvent sqsMessage(String body) {
        var message = new SQSEvent.SQSMessage();
        message.setMessageId("priming");
        message.setBody(body);
        message.setEventSource("aws:sqs");
        var event = new SQSEvent();
        event.setRecords(List.of(message));
        return event;
    }

    /**
     * A back-office request as API Gateway passes it once its JWT authorizer has verified the
     * token, for priming calls: {@code routeKey} such as {@code "GET /admin/orders/{id}"}, its path
     * parameters filled in, and the claims of a caller in {@code group} whom no account or record
     * has. Only the handler's priming builds such an event, in the function's own JVM before the
     * snapshot; no request from outside carries claims the authorizer did not verify.
     */
    public static APIGatewayV2HTTPEvent adminRequest(String routeKey, Map<String, String> pathParameters,
                                                     Map<String, String> query, String jsonBody, String group) {
        APIGatewayV2HTTPEvent event = routeRequest(routeKey, pathParameters, query, jsonBody);
        var jwt = new APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT();
        jwt.setClaims(Map.of("sub", "snapstart-priming", "username", "snapstart-priming",
                "cognito:groups", "[" + group + "]", "token_use", "access"));
        var authorizer = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
        authorizer.setJwt(jwt);
        event.getRequestContext().setAuthorizer(authorizer);
        return event;
    }

    /**
     * A request as API Gateway passes it once it matched {@code routeKey} (such as
     * {@code "GET /products/{sku}"}), its path parameters filled in, for priming calls.
     */
    public static APIGatewayV2HTTPEvent routeRequest(String routeKey, Map<String, String> pathParameters,
                                                     Map<String, String> query, String jsonBody) {
        int space = routeKey.indexOf(' ');
        String path = routeKey.substring(space + 1);
        for (var parameter : pathParameters.entrySet()) {
            path = path.replace("{" + parameter.getKey() + "}", parameter.getValue());
        }
        APIGatewayV2HTTPEvent event = httpRequest(routeKey.substring(0, space), path, query, jsonBody);
        event.setRouteKey(routeKey);
        event.setPathParameters(pathParameters.isEmpty() ? null : pathParameters);
        return event;
    }

    /**
     * A request as API Gateway's HTTP API (payload 2.0) passes it to a handler, for priming
     * calls, on a route without path parameters: its route key is {@code method + " " + path}.
     */
    public static APIGatewayV2HTTPEvent httpRequest(String method, String path, Map<String, String> query, String jsonBody) {
        var http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(method).withPath(path).withProtocol("HTTP/1.1")
                .withSourceIp("127.0.0.1").withUserAgent("snapstart-priming").build();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(method + " " + path)
                .withRawPath(path)
                .withRawQueryString(query.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("&")))
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withHeaders(jsonBody == null ? Map.of() : Map.of("content-type", "application/json"))
                .withBody(jsonBody)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withDomainName("priming.invalid").withHttp(http).build())
                .build();
    }
}
