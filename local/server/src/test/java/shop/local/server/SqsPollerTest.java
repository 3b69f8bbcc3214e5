package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.local.stack.CfnTemplate;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

@ExtendWith(LocalAwsExtension.class)
class SqsPollerTest {

    private static final CfnTemplate FIXTURE = LocalApiServerTest.apiFixture();
    private static LocalAws aws;
    private static SqsPoller poller;
    private static String queueUrl;
    private static String deadLetterUrl;

    @BeforeAll
    static void start(LocalAws localAws) {
        aws = localAws;
        aws.createResources(FIXTURE);
        queueUrl = aws.queueUrl(FIXTURE, "FixtureWorkQueue");
        deadLetterUrl = aws.queueUrl(FIXTURE, "FixtureWorkDeadLetterQueue");
        poller = SqsPoller.start(new LocalFunctions(aws, FIXTURE, Map.of()));
    }

    @AfterAll
    static void stop() {
        poller.close();
    }

    @Test
    void deliversMessagesShapedLikeLambdasSqsEventAndDeletesThem() throws Exception {
        String body = "ok-" + UUID.randomUUID();
        aws.sqs().sendMessage(b -> b.queueUrl(queueUrl).messageBody(body).messageAttributes(Map.of(
                "orderId", MessageAttributeValue.builder().dataType("String").stringValue("o-1").build())));

        await(() -> QueueHandler.received(body) == 1, Duration.ofSeconds(10));
        SQSEvent.SQSMessage message = QueueHandler.RECEIVED.stream().filter(m -> m.getBody().equals(body))
                .findFirst().orElseThrow();
        assertEquals("aws:sqs", message.getEventSource());
        assertEquals("arn:aws:sqs:us-east-1:000000000000:FixtureWorkQueue", message.getEventSourceArn());
        assertEquals("us-east-1", message.getAwsRegion());
        assertEquals("1", message.getAttributes().get("ApproximateReceiveCount"));
        assertTrue(message.getAttributes().containsKey("SentTimestamp"), message.getAttributes().toString());
        assertEquals("o-1", message.getMessageAttributes().get("orderId").getStringValue());
        assertEquals("String", message.getMessageAttributes().get("orderId").getDataType());
        assertTrue(!message.getReceiptHandle().isBlank() && !message.getMessageId().isBlank());

        Thread.sleep(2500); // more than the 1 s visibility timeout: an undeleted message would come back
        assertEquals(1, QueueHandler.received(body), "processed once, then deleted");
    }

    @Test
    void aMessageWhoseHandlerThrowsEndsInTheDeadLetterQueue() {
        String body = "throw-" + UUID.randomUUID();
        aws.sqs().sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
        assertEquals(List.of(body), deadLetters(body));
        assertEquals(2, QueueHandler.received(body), "maxReceiveCount 2: tried twice");
    }

    @Test
    void onlyTheReportedItemOfABatchIsRetried() {
        String failing = "fail-" + UUID.randomUUID();
        String fine = "ok-" + UUID.randomUUID();
        aws.sqs().sendMessageBatch(b -> b.queueUrl(queueUrl).entries(
                e -> e.id("1").messageBody(failing), e -> e.id("2").messageBody(fine)));
        assertEquals(List.of(failing), deadLetters(failing));
        assertEquals(1, QueueHandler.received(fine));
    }

    /** Reads the dead-letter queue until a message with {@code body} arrives (at most 15 s). */
    private static List<String> deadLetters(String body) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> bodies = aws.sqs().receiveMessage(b -> b.queueUrl(deadLetterUrl).waitTimeSeconds(1)
                    .maxNumberOfMessages(10)).messages().stream().map(Message::body).filter(body::equals).toList();
            if (!bodies.isEmpty()) {
                return bodies;
            }
        }
        return List.of();
    }

    private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(condition.getAsBoolean(), "not within " + timeout);
    }
}
