package shop.local.server;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test-only SQS handler. A body starting with "throw" makes the whole invocation throw; one
 * starting with "fail" is reported as a failed item; anything else succeeds.
 */
public class QueueHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    static final List<SQSEvent.SQSMessage> RECEIVED = new CopyOnWriteArrayList<>();

    public QueueHandler(Map<String, String> environment) {
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        RECEIVED.addAll(event.getRecords());
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            if (message.getBody().startsWith("throw")) {
                throw new IllegalStateException("the test handler failed on purpose");
            }
            if (message.getBody().startsWith("fail")) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }

    static long received(String body) {
        return RECEIVED.stream().filter(m -> m.getBody().equals(body)).count();
    }
}
