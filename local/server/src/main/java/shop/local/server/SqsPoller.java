package shop.local.server;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import shop.local.stack.CfnTemplate;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Feeds every function with an SQS event from its queue, as Lambda's event source mapping
 * does: long-poll a batch, invoke the handler with an {@link SQSEvent}, delete what succeeded.
 * When the handler throws, nothing is deleted: the messages come back after the visibility
 * timeout and reach the dead-letter queue after maxReceiveCount receives. Per-message failures
 * (SQSBatchResponse) count only when the event declares ReportBatchItemFailures, as on Lambda.
 */
public final class SqsPoller implements AutoCloseable {

    private final List<Thread> threads;
    private volatile boolean running = true;

    private SqsPoller(LocalFunctions functions) {
        List<Thread> started = new ArrayList<>();
        for (CfnTemplate.Function function : functions.template().functions().values()) {
            for (CfnTemplate.SqsEvent event : function.sqsEvents()) {
                Loop loop = new Loop(functions, function.logicalId(), event);
                Thread thread = new Thread(loop, "sqs-" + function.logicalId() + "-" + event.name());
                thread.setDaemon(true);
                started.add(thread);
            }
        }
        this.threads = List.copyOf(started);
    }

    /** Starts one polling thread per SQS event of the functions' template. */
    public static SqsPoller start(LocalFunctions functions) {
        SqsPoller poller = new SqsPoller(functions);
        poller.threads.forEach(Thread::start);
        return poller;
    }

    /** The number of queues polled. */
    public int queueCount() {
        return threads.size();
    }

    @Override
    public void close() {
        running = false;
        // No interrupt first: a receive cut short after the queue handed out its messages would
        // leave them invisible for the whole visibility timeout (180 s), and the next shop on the
        // same queue would wait for them. A loop ends within its 1 s long poll.
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        threads.stream().filter(Thread::isAlive).forEach(Thread::interrupt);
    }

    private final class Loop implements Runnable {
        private final LocalFunctions functions;
        private final String functionId;
        private final CfnTemplate.SqsEvent event;
        private final SqsClient sqs;
        private final String queueArn;
        private final String queueUrl;

        Loop(LocalFunctions functions, String functionId, CfnTemplate.SqsEvent event) {
            this.functions = functions;
            this.functionId = functionId;
            this.event = event;
            this.sqs = functions.aws().sqs();
            this.queueArn = functions.resolver().resolveString(event.queue());
            String queueName = queueArn.substring(queueArn.lastIndexOf(':') + 1);
            this.queueUrl = sqs.getQueueUrl(b -> b.queueName(queueName)).queueUrl();
        }

        @Override
        public void run() {
            while (running) {
                try {
                    List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                            .maxNumberOfMessages(Math.min(event.batchSize(), 10)).waitTimeSeconds(1)
                            .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                            .messageAttributeNames("All")).messages();
                    if (!messages.isEmpty() && running) {
                        deleteSucceeded(messages, failedIds(messages));
                    } else if (!messages.isEmpty()) {
                        returnUnhandled(messages);
                    }
                } catch (RuntimeException e) {
                    if (!running) {
                        return;
                    }
                    System.err.println("local: polling " + queueArn + " for " + functionId + " failed: " + e);
                    pause();
                }
            }
        }

        /** Received as the poller stopped: visible again at once, for whoever polls the queue next. */
        private void returnUnhandled(List<Message> messages) {
            sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(messages.stream()
                    .map(m -> ChangeMessageVisibilityBatchRequestEntry.builder().id(m.messageId())
                            .receiptHandle(m.receiptHandle()).visibilityTimeout(0).build())
                    .toList()));
        }

        private Set<String> failedIds(List<Message> messages) {
            Set<String> all = new HashSet<>(messages.stream().map(Message::messageId).toList());
            Object result;
            try {
                result = functions.invoke(functionId, toEvent(messages));
            } catch (Throwable e) {
                System.err.println("local: " + functionId + " threw " + e.getClass().getName() + ": " + e.getMessage()
                        + "; its " + messages.size() + " message(s) return after the visibility timeout");
                return all;
            }
            if (!(result instanceof SQSBatchResponse response) || response.getBatchItemFailures() == null
                    || response.getBatchItemFailures().isEmpty()) {
                return Set.of();
            }
            if (!event.reportBatchItemFailures()) {
                System.err.println("local: " + functionId + " reported failed items, but its SQS event " + event.name()
                        + " lacks FunctionResponseTypes: [ReportBatchItemFailures]; Lambda deletes the whole batch");
                return Set.of();
            }
            Set<String> failed = new HashSet<>();
            for (SQSBatchResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
                String id = failure.getItemIdentifier();
                if (id == null || !all.contains(id)) {
                    return all; // Lambda treats an unknown or empty identifier as a failed batch
                }
                failed.add(id);
            }
            return failed;
        }

        private void deleteSucceeded(List<Message> messages, Set<String> failed) {
            List<DeleteMessageBatchRequestEntry> entries = messages.stream()
                    .filter(m -> !failed.contains(m.messageId()))
                    .map(m -> DeleteMessageBatchRequestEntry.builder().id(m.messageId())
                            .receiptHandle(m.receiptHandle()).build())
                    .toList();
            if (!entries.isEmpty()) {
                sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            }
        }

        private SQSEvent toEvent(List<Message> messages) {
            List<SQSEvent.SQSMessage> records = new ArrayList<>();
            for (Message message : messages) {
                SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
                record.setMessageId(message.messageId());
                record.setReceiptHandle(message.receiptHandle());
                record.setBody(message.body());
                record.setMd5OfBody(message.md5OfBody());
                record.setMd5OfMessageAttributes(message.md5OfMessageAttributes());
                record.setAttributes(new LinkedHashMap<>(message.attributesAsStrings()));
                record.setMessageAttributes(attributes(message.messageAttributes()));
                record.setEventSource("aws:sqs");
                record.setEventSourceArn(queueArn);
                record.setAwsRegion(functions.aws().region());
                records.add(record);
            }
            SQSEvent sqsEvent = new SQSEvent();
            sqsEvent.setRecords(records);
            return sqsEvent;
        }

        private Map<String, SQSEvent.MessageAttribute> attributes(Map<String, MessageAttributeValue> values) {
            Map<String, SQSEvent.MessageAttribute> attributes = new LinkedHashMap<>();
            values.forEach((name, value) -> {
                SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
                attribute.setDataType(value.dataType());
                attribute.setStringValue(value.stringValue());
                if (value.binaryValue() != null) {
                    attribute.setBinaryValue(value.binaryValue().asByteBuffer());
                }
                attribute.setStringListValues(value.stringListValues());
                attribute.setBinaryListValues(value.binaryListValues().stream().map(SdkBytes::asByteBuffer).toList());
                attributes.put(name, attribute);
            });
            return attributes;
        }

        private void pause() {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
