package shop.core.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.core.config.Env;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;

/**
 * The JSON protocol path (SQS speaks JSON 1.0) against ElasticMQ; SesMailerTest covers the
 * REST-JSON one. The requests are signed for real; the stand-in does not check signatures.
 */
@ExtendWith(LocalAwsExtension.class)
class AwsJsonClientTest {

    @Test
    void callsAnOperationAndReadsItsAnswer(LocalAws aws) {
        var sqs = sqs(aws);
        String name = aws.physicalName("OrderNotificationQueue");

        var answer = sqs.call("1.0", "AmazonSQS.GetQueueUrl", Map.of("QueueName", name));

        assertEquals(aws.queueUrl(aws.template(), "OrderNotificationQueue"), answer.path("QueueUrl").asText());
    }

    @Test
    void anErrorAnswerBecomesAnExceptionWithTheServicesCode(LocalAws aws) {
        var sqs = sqs(aws);

        var error = assertThrows(AwsApiException.class,
                () -> sqs.call("1.0", "AmazonSQS.GetQueueUrl", Map.of("QueueName", "no-such-queue")));

        assertEquals(400, error.statusCode());
        assertEquals("QueueDoesNotExist", error.errorCode());
    }

    private static AwsJsonClient sqs(LocalAws aws) {
        return new AwsClients(Env.of(aws.functionEnvironment("NewsletterFunction", Map.of()))).json("SQS", "sqs", "sqs");
    }
}
