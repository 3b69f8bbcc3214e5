package shop.core.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.core.config.Env;
import shop.core.dynamo.DynamoTransactions;
import shop.core.email.EmailAddress;
import shop.core.http.ApiResponses;
import shop.core.json.Json;
import shop.core.mail.Email;
import shop.core.mail.SesMailer;
import shop.local.stack.FaultProxy;
import shop.local.stack.FaultProxy.Fault;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.Mailbox;
import shop.local.stack.Service;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;

/**
 * The generated clients {@link AwsClients} builds, against AWS failing as it does on the wire
 * (through a {@link FaultProxy} in front of the stand-ins), and what the one error mapping makes
 * of what they throw: throttling that passes is invisible, throttling or an outage that lasts is
 * a 503 with Retry-After, anything else stays a 500.
 */
@ExtendWith(LocalAwsExtension.class)
class AwsFaultsTest {
    private static FaultProxy dynamoProxy;
    private static FaultProxy sesProxy;
    private static DynamoDbClient dynamo;
    private static SesMailer mailer;
    private static String table;

    @BeforeAll
    static void start(LocalAws aws) {
        dynamoProxy = FaultProxy.start(aws.endpoint(Service.DYNAMODB));
        sesProxy = FaultProxy.start(aws.endpoint(Service.SESV2));
        Map<String, String> env = new HashMap<>(aws.functionEnvironment("NewsletterSignupFunction", Map.of()));
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoProxy.uri().toString());
        env.put("AWS_ENDPOINT_URL_SESV2", sesProxy.uri().toString());
        AwsClients clients = new AwsClients(Env.of(env));
        dynamo = clients.dynamo();
        mailer = new SesMailer(clients.ses(), "shop@localhost.test", "MailConfigurationSet");
        table = aws.physicalName("SubscribersTable");
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        dynamoProxy.close();
        sesProxy.close();
    }

    @BeforeEach
    void reset() {
        dynamoProxy.reset();
        sesProxy.reset();
    }

    @Test
    void throttlingThatPassesIsRetriedWithBackoffAndTheWriteSucceeds() throws Exception {
        dynamoProxy.inject(FaultProxy.dynamo("PutItem", table), Fault.DYNAMODB_THROTTLING, 2);

        put("FAULTS#transient");

        assertEquals("FAULTS#transient", dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("FAULTS#transient")))).item().get("pk").s());
        var puts = dynamoProxy.calls(FaultProxy.dynamo("PutItem", table));
        assertEquals(3, puts.size(), "two throttled attempts and the one that went through");
        assertEquals(2, puts.stream().filter(FaultProxy.Call::faulted).count());
    }

    @Test
    void throttlingThatLastsGivesUpAfterFourAttemptsAndAnswers503WithRetryAfter() throws Exception {
        dynamoProxy.injectAlways(FaultProxy.dynamo("PutItem", table), Fault.DYNAMODB_THROTTLING);

        long started = System.nanoTime();
        var thrown = assertThrows(ProvisionedThroughputExceededException.class, () -> put("FAULTS#persistent"));
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertTrue(thrown.isThrottlingException(), "the SDK recognises the wire format as throttling");
        assertEquals(4, dynamoProxy.calls(FaultProxy.dynamo("PutItem", table)).size());
        assertTrue(millis < 3_000, "backoff stays short enough for an API call: " + millis + " ms");
        assertUnavailable(ApiResponses.error(thrown));
        assertTrue(dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("FAULTS#persistent")))).item().isEmpty());
    }

    @Test
    void aWriteThatMeetsAnotherTransactionIsRetriedAndWhenItLastsIsA503() throws Exception {
        dynamoProxy.inject(FaultProxy.dynamo("PutItem", table), Fault.DYNAMODB_TRANSACTION_CONFLICT, 2);
        put("FAULTS#conflict");
        assertEquals(3, dynamoProxy.calls(FaultProxy.dynamo("PutItem", table)).size(), "two refused, then written");

        dynamoProxy.reset();
        dynamoProxy.injectAlways(FaultProxy.dynamo("PutItem", table), Fault.DYNAMODB_TRANSACTION_CONFLICT);
        var thrown = assertThrows(TransactionConflictException.class, () -> put("FAULTS#conflict-lasting"));
        assertEquals(4, dynamoProxy.calls(FaultProxy.dynamo("PutItem", table)).size());
        assertUnavailable(ApiResponses.error(thrown));
    }

    @Test
    void aTransactionCancelledOnlyByAnotherTransactionIsRetriedAndOneCancelledByItsConditionIsNot() throws Exception {
        String step = "faults-" + java.util.UUID.randomUUID();
        dynamoProxy.inject(FaultProxy.dynamo("TransactWriteItems", table), Fault.DYNAMODB_TRANSACTION_CANCELLED_BY_CONFLICT, 1);
        assertEquals(List.of(), DynamoTransactions.write(dynamo, step, List.of(newItem("FAULTS#tx-a"), newItem("FAULTS#tx-b"))));
        assertEquals(2, dynamoProxy.calls(FaultProxy.dynamo("TransactWriteItems", table)).size(), "cancelled, then written");
        assertTrue(dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("FAULTS#tx-b")))).hasItem());

        dynamoProxy.reset();
        assertEquals(List.of(0), DynamoTransactions.write(dynamo, step + "-again",
                List.of(newItem("FAULTS#tx-a"), newItem("FAULTS#tx-c"))), "its condition failed: the caller's answer");
        assertEquals(1, dynamoProxy.calls(FaultProxy.dynamo("TransactWriteItems", table)).size(), "not retried");
    }

    @Test
    void dynamoDbDownOrDroppingConnectionsIsA503Too() throws Exception {
        dynamoProxy.injectAlways(FaultProxy.dynamo("PutItem", table), Fault.SERVICE_UNAVAILABLE);
        assertUnavailable(ApiResponses.error(assertThrows(RuntimeException.class, () -> put("FAULTS#down"))));

        dynamoProxy.reset();
        dynamoProxy.injectAlways(FaultProxy.dynamo("PutItem", table), Fault.CONNECTION_DROPPED);
        assertUnavailable(ApiResponses.error(assertThrows(RuntimeException.class, () -> put("FAULTS#dropped"))));
    }

    @Test
    void sesThrottlingIsRetriedAndWhenItLastsIsA503(Mailbox mailbox) throws Exception {
        Email mail = new Email(new EmailAddress("faults@example.com"), "Hello", "<p>Hello</p>", "Hello", Map.of());
        sesProxy.inject(FaultProxy.sesSendEmail(), Fault.SES_THROTTLING, 1);
        mailer.send(mail);
        assertEquals(2, sesProxy.calls(FaultProxy.sesSendEmail()).size());

        sesProxy.reset();
        sesProxy.injectAlways(FaultProxy.sesSendEmail(), Fault.SES_THROTTLING);
        var thrown = assertThrows(TooManyRequestsException.class, () -> mailer.send(mail));
        assertTrue(thrown.isThrottlingException(), "the SDK recognises SES's 429 as throttling");
        assertEquals(3, sesProxy.calls(FaultProxy.sesSendEmail()).size(), "the standard retry mode's 3 attempts");
        assertUnavailable(ApiResponses.error(thrown));
        assertEquals(1, mailbox.to("faults@example.com").size(), "only the first mail went out");
    }

    @Test
    void aMistakeOfOursIsNotPassedOffAsAnOutage() throws Exception {
        var thrown = assertThrows(RuntimeException.class, () -> dynamo.putItem(b -> b.tableName("NoSuchTable")
                .item(Map.of("pk", AttributeValue.fromS("x")))));
        assertEquals(1, dynamoProxy.calls().size(), "not retried");
        assertEquals(500, ApiResponses.error(thrown).getStatusCode());
    }

    /** A Put of a new item (conditional on its absence), as a transaction's part. */
    private static TransactWriteItem newItem(String pk) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk)))
                .conditionExpression("attribute_not_exists(pk)")).build();
    }

    private static void put(String pk) {
        dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk))));
    }

    private static void assertUnavailable(APIGatewayV2HTTPResponse response) throws Exception {
        assertEquals(503, response.getStatusCode());
        assertEquals("5", response.getHeaders().get("retry-after"));
        assertEquals("application/problem+json", response.getHeaders().get("content-type"));
        var problem = Json.mapper().readTree(response.getBody());
        assertEquals(503, problem.get("status").asInt());
        assertTrue(problem.get("detail").asText().contains("try again"));
    }
}
