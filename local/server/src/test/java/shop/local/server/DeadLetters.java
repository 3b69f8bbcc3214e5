package shop.local.server;

import java.util.Map;
import shop.local.stack.LocalAws;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What the dead-letter tests do to a queue: count its visible messages, lower its visibility
 * timeout for a while (so that five receives take seconds), and redrive a dead letter as the
 * owner would, twice by mistake.
 */
final class DeadLetters {
    private DeadLetters() {}

    /** The queue's visibility timeout as it was, given back by {@link #close()}. */
    interface Restored extends AutoCloseable {
        @Override
        void close();
    }

    /** The queue's messages that a receive would get now. */
    static int visible(LocalAws aws, String queueUrl) {
        return Integer.parseInt(aws.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    /** Sets the queue's visibility timeout to {@code seconds} until the answer is closed. */
    static Restored visibilityTimeout(LocalAws aws, String queueUrl, String seconds) {
        String was = aws.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT)).attributes().get(QueueAttributeName.VISIBILITY_TIMEOUT);
        setVisibility(aws, queueUrl, seconds);
        return () -> setVisibility(aws, queueUrl, was);
    }

    /** The dead letter sent back to its queue twice (the owner redrove it twice, by mistake), then deleted. */
    static void redriveTwice(LocalAws aws, String queueUrl, String deadLettersUrl, Message dead) {
        for (int i = 0; i < 2; i++) {
            aws.sqs().sendMessage(b -> b.queueUrl(queueUrl).messageBody(dead.body()));
        }
        aws.sqs().deleteMessage(b -> b.queueUrl(deadLettersUrl).receiptHandle(dead.receiptHandle()));
    }

    private static void setVisibility(LocalAws aws, String queueUrl, String seconds) {
        aws.sqs().setQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, seconds)));
    }
}
