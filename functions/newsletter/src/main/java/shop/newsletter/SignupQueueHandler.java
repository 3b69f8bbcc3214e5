package shop.newsletter;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.Map;
import shop.core.config.Env;
import shop.core.queue.SqsBatches;
import shop.core.snapstart.Priming;

/**
 * Lambda entry point for the newsletter signup queue (ReportBatchItemFailures): each signup the
 * form queued is completed ({@link SignupService}); one that fails is reported, so SQS retries
 * only it and moves it to the dead-letter queue after its fifth receive.
 */
public final class SignupQueueHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final SignupService service;
    private final Runnable primeAdapters;

    /** Called by Lambda: real clients, built once per execution environment, primed for SnapStart. */
    public SignupQueueHandler() {
        this(Env.system());
        Priming.beforeSnapshot("newsletter-signup", this::prime);
    }

    /** Called by the local server with the environment template.yaml gives this function. */
    public SignupQueueHandler(Map<String, String> environment) {
        this(Env.of(environment));
    }

    private SignupQueueHandler(Env env) {
        this(NewsletterDependencies.Worker.fromEnvironment(env));
    }

    SignupQueueHandler(NewsletterDependencies.Worker dependencies) {
        this.service = dependencies.service();
        this.primeAdapters = dependencies.primeAdapters();
    }

    /**
     * Calls that change nothing: a message that is not a signup (parsed and refused; its failure
     * is reported, not thrown), the table's read and write paths on a key no item has, and a
     * SendEmail stopped before it is sent.
     */
    void prime() {
        handleRequest(Priming.sqsMessage("{\"email\":\"priming@example.invalid\"}"), null);
        primeAdapters.run();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return SqsBatches.eachMessage(event, "newsletter_signup_failed", body -> service.complete(PendingSignup.parse(body)));
    }
}
