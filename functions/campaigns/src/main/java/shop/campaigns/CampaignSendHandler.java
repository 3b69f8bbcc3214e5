package shop.campaigns;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import shop.core.config.Env;
import shop.core.snapstart.Priming;
import shop.core.json.Json;
import shop.core.logging.Log;

/**
 * Lambda entry point for the recipients queue (template.yaml's CampaignRecipientsQueue): each
 * message names up to 25 recipients of one campaign. A message that fails returns to the queue
 * (ReportBatchItemFailures); its recipients already sent are skipped on the retry by their
 * send records.
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
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            JsonNode body;
            try {
                body = Json.mapper().readTree(message.getBody());
            } catch (java.io.IOException | RuntimeException malformed) {
                Log.error("campaign_message_malformed", Map.of("messageId", message.getMessageId()));
                continue;
            }
            try {
                List<String> recipients = new ArrayList<>();
                body.path("recipients").forEach(r -> recipients.add(r.asText()));
                service.send(body.path("campaignId").asText(), recipients);
            } catch (RuntimeException e) {
                Log.warn("campaign_message_failed", Map.of("messageId", message.getMessageId(),
                        "exception", e.getClass().getName()));
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }
}
