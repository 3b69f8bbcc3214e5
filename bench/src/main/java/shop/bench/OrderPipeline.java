package shop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import shop.commerce.catalog.CatalogFile;
import shop.commerce.catalog.DynamoProductStore;
import shop.commerce.catalog.Product;
import shop.local.stack.LocalAws;
import shop.local.stack.StripeStandIn;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Real events for the commerce functions. A sample webhook event names a Checkout Session the
 * Stripe stand-in never created, and a sample queue message an order nobody recorded: replayed,
 * they would measure the error path. So each event is made by running the steps before it, in
 * this JVM and untimed: checkout (its cart's pieces back in stock first), payment at the
 * stand-in, which signs the event Stripe would send, and the webhook, whose queue message is
 * taken off the queue as the event source mapping would. The sample files stay the envelopes.
 */
final class OrderPipeline {
    static final String CHECKOUT = "CheckoutFunction";
    static final String WEBHOOK = "StripeWebhookFunction";
    static final String NOTIFICATION = "OrderNotificationFunction";
    static final String ORDER_STATUS = "OrderStatusFunction";
    static final String ADMIN_REFUNDS = "AdminRefundsFunction";

    private final LocalAws aws;
    private final EventSamples samples;
    private final Map<String, InProcess> hosts;
    private final Map<String, Map<String, String>> environments;
    private final String productsTable;
    private final DynamoProductStore products;
    private final List<Product> catalog;
    private final String queueUrl;

    /** One checkout request and the address its customer pays with. */
    record Checkout(String event, String email) {
    }

    private OrderPipeline(LocalAws aws, EventSamples samples, Map<String, InProcess> hosts,
                          Map<String, Map<String, String>> environments, List<Product> catalog) {
        this.aws = aws;
        this.samples = samples;
        this.hosts = hosts;
        this.environments = environments;
        this.catalog = catalog;
        this.productsTable = environments.get(CHECKOUT).get("PRODUCTS_TABLE");
        this.products = new DynamoProductStore(aws.dynamo(), productsTable, Clock.systemUTC());
        this.queueUrl = environments.get(WEBHOOK).get("ORDER_QUEUE_URL");
    }

    /** When the three functions run in this JVM; the sample catalog is the stock. */
    static Optional<OrderPipeline> of(LocalAws aws, EventSamples samples, Map<String, InProcess> hosts,
                                      Map<String, Map<String, String>> environments) throws IOException {
        if (!hosts.keySet().containsAll(List.of(CHECKOUT, WEBHOOK, NOTIFICATION))) {
            return Optional.empty();
        }
        Path file = aws.template().file().getParent().resolve("catalog/sample-catalog.json");
        return Optional.of(new OrderPipeline(aws, samples, hosts, environments, CatalogFile.parse(Files.readString(file), "https://images.example.test")));
    }

    boolean makesEventsFor(String logicalId) {
        return List.of(CHECKOUT, WEBHOOK, NOTIFICATION, ORDER_STATUS).contains(logicalId)
                || logicalId.equals(ADMIN_REFUNDS) && hosts.containsKey(ADMIN_REFUNDS);
    }

    String sampleFor(String logicalId) {
        return switch (logicalId) {
            case CHECKOUT -> "create-session.json";
            case WEBHOOK -> "checkout-session-completed.json (a session paid at the stand-in)";
            case ORDER_STATUS -> "get-order-status.json (an order the webhook recorded)";
            case ADMIN_REFUNDS -> "refund-half.json (the owner refunds all of an order the webhook recorded)";
            default -> "order-paid.json (the webhook's message from the queue)";
        };
    }

    String next(String logicalId) throws Exception {
        return switch (logicalId) {
            case CHECKOUT -> checkout().event();
            case WEBHOOK -> {
                Checkout checkout = checkout();
                yield webhookEvent(pay(checkout, run(CHECKOUT, checkout.event())));
            }
            default -> {
                Checkout checkout = checkout();
                StripeStandIn.SignedEvent paid = pay(checkout, run(CHECKOUT, checkout.event()));
                run(WEBHOOK, webhookEvent(paid));
                Message queued = takeMessage(sessionId(paid));
                yield switch (logicalId) {
                    case ORDER_STATUS -> orderStatusEvent(sessionId(paid));
                    case ADMIN_REFUNDS -> refundEvent(sessionId(paid));
                    default -> notificationEvent(queued);
                };
            }
        };
    }

    /**
     * The sample cart, its pieces back in stock, for a new customer address. The stock is set
     * whatever the earlier, unpaid checkouts still hold: the import's overwrite would count those
     * pieces out ({@code StockCount}), and the warm checkouts hold every one-of-a-kind piece.
     */
    Checkout checkout() throws IOException {
        for (Product product : catalog) {
            products.save(product, false);
            aws.dynamo().updateItem(b -> b.tableName(productsTable).key(DynamoProductStore.key(product.sku()))
                    .updateExpression("SET stock = :stock")
                    .expressionAttributeValues(Map.of(":stock", AttributeValue.fromN(Integer.toString(product.stock())))));
        }
        String event = samples.fresh(sample(CHECKOUT, "create-session.json"), environments.get(CHECKOUT));
        String email = EventSamples.JSON.readTree(EventSamples.JSON.readTree(event).get("body").asText()).path("email").asText();
        return new Checkout(event, email);
    }

    /** The customer pays the session checkout opened; the stand-in signs the event Stripe would send. */
    StripeStandIn.SignedEvent pay(Checkout checkout, InProcess.Invocation created) throws IOException {
        String sessionId = EventSamples.JSON.readTree(EventSamples.JSON.readTree(created.answer()).get("body").asText())
                .get("id").asText();
        return aws.stripe().pay(sessionId, StripeStandIn.PaymentMethod.CARD,
                StripeStandIn.Customer.SAMPLE.withEmail(checkout.email()));
    }

    String webhookEvent(StripeStandIn.SignedEvent paid) {
        ObjectNode event = (ObjectNode) sample(WEBHOOK, "checkout-session-completed.json");
        event.put("body", paid.payload());
        event.put("isBase64Encoded", false);
        ((ObjectNode) event.get("headers")).put("stripe-signature", paid.signature());
        ((ObjectNode) event.get("requestContext")).put("requestId", UUID.randomUUID().toString());
        return event.toString();
    }

    /**
     * The webhook's message for this session, received and deleted as the event source mapping
     * does. Every webhook invocation of the run queues one, and nothing else takes them off, so
     * the others on the way are deleted too.
     */
    Message takeMessage(String sessionId) {
        return take(aws.sqs(), queueUrl, sessionId, "The webhook queued no message for " + sessionId);
    }

    /**
     * The message on {@code queueUrl} whose body contains {@code marker}, received and deleted as
     * the event source mapping does, the others on the way deleted too; after three empty
     * receives in a row, {@code IllegalStateException(missing)}.
     */
    static Message take(SqsClient sqs, String queueUrl, String marker, String missing) {
        for (int empty = 0; empty < 3; ) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1)).messages();
            empty = messages.isEmpty() ? empty + 1 : 0;
            for (Message message : messages) {
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
                if (message.body().contains(marker)) {
                    return message;
                }
            }
        }
        throw new IllegalStateException(missing);
    }

    String notificationEvent(Message message) {
        ObjectNode event = (ObjectNode) sample(NOTIFICATION, "order-paid.json");
        ObjectNode record = (ObjectNode) event.get("Records").get(0);
        record.put("messageId", message.messageId());
        record.put("receiptHandle", message.receiptHandle());
        record.put("body", message.body());
        record.put("md5OfBody", message.md5OfBody());
        return event.toString();
    }

    /** The thank-you page asking for the order's summary. */
    String orderStatusEvent(String sessionId) {
        ObjectNode event = (ObjectNode) sample(ORDER_STATUS, "get-order-status.json");
        String path = "/orders/" + sessionId;
        event.put("rawPath", path);
        ((ObjectNode) event.get("requestContext").get("http")).put("path", path);
        ((ObjectNode) event.get("requestContext")).put("requestId", UUID.randomUUID().toString());
        event.putObject("pathParameters").put("sessionId", sessionId);
        return event.toString();
    }

    /**
     * The owner refunding all of a paid order (the sample's amount would not fit every cart),
     * with a fresh Idempotency-Key as the admin page sends one per form.
     */
    String refundEvent(String sessionId) throws IOException {
        ObjectNode event = (ObjectNode) sample(ADMIN_REFUNDS, "refund-half.json");
        String path = "/admin/orders/" + sessionId + "/refunds";
        event.put("rawPath", path);
        ((ObjectNode) event.get("requestContext").get("http")).put("path", path);
        ((ObjectNode) event.get("requestContext")).put("requestId", UUID.randomUUID().toString());
        ((ObjectNode) event.get("headers")).put("idempotency-key", UUID.randomUUID().toString());
        event.putObject("pathParameters").put("id", sessionId);
        ObjectNode body = (ObjectNode) EventSamples.JSON.readTree(event.get("body").asText());
        body.remove("amount");
        event.put("body", body.toString());
        return event.toString();
    }

    static String sessionId(StripeStandIn.SignedEvent paid) throws IOException {
        return EventSamples.JSON.readTree(paid.payload()).path("data").path("object").path("id").asText();
    }

    /** Invokes a step that is not being measured; it must succeed for the next one to mean anything. */
    private InProcess.Invocation run(String logicalId, String event) throws Exception {
        InProcess.Invocation invocation = hosts.get(logicalId).invoke(event);
        if (!invocation.succeeded()) {
            throw new IllegalStateException(logicalId + " answered " + invocation.outcome() + " while making an event");
        }
        return invocation;
    }

    private JsonNode sample(String logicalId, String file) {
        return EventSamples.read(hosts.get(logicalId).function().eventsDir().resolve(file));
    }
}
