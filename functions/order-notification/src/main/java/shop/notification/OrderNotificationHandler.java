package shop.notification;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import shop.commerce.orders.OrderMessage;
import java.util.Map;
import shop.core.config.Env;
import shop.core.queue.SqsBatches;
import shop.core.snapstart.Priming;

/**
 * Lambda entry point for the order notification queue (ReportBatchItemFailures): each message
 * that could not be fully handled is reported, so SQS retries only those and moves one to the
 * dead-letter queue after its fifth receive.
 */
public final class OrderNotificationHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final OrderNotificationService service;
    private final Runnable primeAdapters;

    /** Called by Lambda: real clients, built once per execution environment, primed for SnapStart. */
    public OrderNotificationHandler() {
        this(Env.system());
        Priming.beforeSnapshot("order-notification", this::prime);
    }

    /** Called by the local server with the environment template.yaml gives this function. */
    public OrderNotificationHandler(Map<String, String> environment) {
        this(Env.of(environment));
    }

    private OrderNotificationHandler(Env env) {
        this(NotificationDependencies.fromEnvironment(env));
    }

    OrderNotificationHandler(NotificationDependencies dependencies) {
        this.service = dependencies.service();
        this.primeAdapters = dependencies.primeAdapters();
    }

    /**
     * Calls that change nothing: the message of an order that was never made (one GetItem, and a
     * warning in the log: there is nobody to write to), the mail records' read and write
     * paths on a key no record has, and a SendEmail stopped before it is sent.
     */
    void prime() {
        handleRequest(Priming.sqsMessage("{\"type\":\"OrderPaid\",\"orderId\":\"cs_priming_never_ordered\"}"), null);
        primeAdapters.run();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return SqsBatches.eachMessage(event, "order_notification_failed", body -> service.handle(OrderMessage.parse(body)));
    }
}
