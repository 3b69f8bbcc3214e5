package shop.campaigns;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import shop.core.json.Json;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** The recipients queue: {@value RecipientQueue#RECIPIENTS_PER_MESSAGE} recipients a message, ten messages a call. */
final class SqsRecipientQueue implements RecipientQueue {
    private final SqsClient sqs;
    private final String queueUrl;

    SqsRecipientQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void enqueue(String campaignId, int pass, List<String> addressHashes) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int from = 0; from < addressHashes.size(); from += RECIPIENTS_PER_MESSAGE) {
            List<String> recipients = addressHashes.subList(from, Math.min(from + RECIPIENTS_PER_MESSAGE, addressHashes.size()));
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(entries.size()))
                    .messageBody(Json.write(Map.of("campaignId", campaignId, "pass", pass, "recipients", recipients)))
                    .build());
            if (entries.size() == 10) {
                flush(entries);
            }
        }
        if (!entries.isEmpty()) {
            flush(entries);
        }
    }

    /** A SendMessageBatch through the whole client with {@code override} (Priming.unsent stops it before it is sent). */
    void prime(software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration override) {
        sqs.sendMessageBatch(b -> b.overrideConfiguration(override).queueUrl(queueUrl).entries(
                SendMessageBatchRequestEntry.builder().id("0").messageBody("{}").build()));
    }

    private void flush(List<SendMessageBatchRequestEntry> entries) {
        var response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(List.copyOf(entries)));
        if (response.hasFailed() && !response.failed().isEmpty()) {
            // The dispatcher's saved place has not moved: its next run queues this page again.
            throw new IllegalStateException("SQS refused " + response.failed().size() + " recipient message(s): "
                    + response.failed().get(0).code());
        }
        entries.clear();
    }
}
