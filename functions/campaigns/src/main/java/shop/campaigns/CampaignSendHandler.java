package shop.campaigns;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import shop.core.config.Env;
import shop.core.json.Json;
import shop.core.queue.SqsBatches;
import shop.core.snapstart.Priming;

/**
 * Lambda entry point for the recipients queue (template.yaml's CampaignRecipientsQueue): each
 * message names up to 25 recipients of one campaign. A message that fails returns to the queue
 * (ReportBatchItemFailures); its recipients already sent are skipped on the retry by their
 * send records. Its receive count (SQS's {@code ApproximateReceiveCount}) tells the service when a
 * failure sends it to the dead-letter queue.
 */
public final class CampaignSendHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final SendService service;
    private final Runnable primeAdapters;

    /** Called by Lambda: real clients, built once per execution environment. */
    public CampaignSendHandler() {
        this(Env.system());
        Priming.beforeSnapshot("campaign-send", primeAdapters);
    }

    /** Called by the local server with the environment template.yaml gives this function. */
    public CampaignSendHandler(Map<String, String> environment) {
        this(Env.of(environment));
    }

    private CampaignSendHandler(Env env) {
        this(CampaignDependencies.send(env));
    }

    private CampaignSendHandler(CampaignDependencies.Wired<SendService> wired) {
        this.service = wired.service();
        this.primeAdapters = wired.prime();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        // A message that cannot be read comes back too, and ends in the dead-letter queue after
        // its retries, where the operator sees it: dropping it would lose its recipients' mails.
        return SqsBatches.eachRecord(event, "campaign_message_failed", record -> {
            JsonNode message;
            try {
                message = Json.mapper().readTree(record.getBody());
            } catch (IOException malformed) {
                throw new UncheckedIOException(malformed);
            }
            List<String> recipients = new ArrayList<>();
            message.path("recipients").forEach(r -> recipients.add(r.asText()));
            // The pass that queued them (0 in a message without one: the campaign's current pass).
            service.send(message.path("campaignId").asText(), message.path("pass").asInt(0), recipients,
                    () -> context == null ? Long.MAX_VALUE : context.getRemainingTimeInMillis(), receiveCount(record));
        });
    }

    /** 1 when SQS does not say (a message handed over without its attributes). */
    private static int receiveCount(SQSEvent.SQSMessage record) {
        String count = record.getAttributes() == null ? null : record.getAttributes().get("ApproximateReceiveCount");
        try {
            return count == null ? 1 : Integer.parseInt(count);
        } catch (NumberFormatException notANumber) {
            return 1;
        }
    }
}
