package shop.core.queue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import shop.core.logging.Log;

/**
 * An SQS batch handled message by message with partial batch failures (ReportBatchItemFailures):
 * a message whose handling throws is logged under {@code failureEvent} (its id and the exception's
 * class, never its body) and reported, so only it comes back; the others are done.
 */
public final class SqsBatches {
    private SqsBatches() {
    }

    public static SQSBatchResponse eachMessage(SQSEvent event, String failureEvent, Consumer<String> handleBody) {
        return eachRecord(event, failureEvent, message -> handleBody.accept(message.getBody()));
    }

    /** As {@link #eachMessage}, for a handler that reads the message's attributes too (its receive count). */
    public static SQSBatchResponse eachRecord(SQSEvent event, String failureEvent,
                                              Consumer<SQSEvent.SQSMessage> handleMessage) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords() == null ? List.<SQSEvent.SQSMessage>of() : event.getRecords()) {
            try {
                handleMessage.accept(message);
            } catch (RuntimeException e) {
                Log.error(failureEvent, Map.of("messageId", String.valueOf(message.getMessageId()),
                        "exception", e.getClass().getName()));
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }
}
