package shop.adminrefunds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.stripe.StripeClient;
import java.time.Clock;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import shop.commerce.catalog.DynamoProductStore;
import shop.commerce.orders.DynamoOrderAccounts;
import shop.commerce.orders.DynamoOrderStore;
import shop.commerce.orders.OrderAccount;
import shop.commerce.testing.SampleEvents;
import shop.commerce.testing.Samples;
import shop.core.admin.AdminAction;
import shop.core.aws.AwsClients;
import shop.core.config.Env;
import shop.core.dynamo.DynamoAuditTrail;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.StoppingDynamo;

/**
 * The function as template.yaml wires it, on the local stand-ins, stopped before each of its
 * DynamoDB calls in turn (as a Lambda timeout or a crash stops it), then sent the same request
 * again as the admin page does: right after the stop, the order's record of the refund and of the
 * restock are each there with their trail line or not at all, and the pieces are back exactly
 * when the restock is recorded; after the repeat there is one Stripe refund, one record, one line
 * each and the piece back once.
 */
@ExtendWith(LocalAwsExtension.class)
class RefundWriteBoundariesTest {
    private static final String SAMPLE_ORDER = "cs_test_b1SampleSessionFromTheEventsFolder0001";
    /** Stops the code under test before its n-th DynamoDB call, as a function stopped there. */
    private static StoppingDynamo stopping;
    private static LocalAws aws;
    private static AdminRefundsHandler handler;
    private static AdminRefundsHandler stoppable;
    private static StripeClient stripe;
    private static DynamoOrderStore orders;
    private static DynamoOrderAccounts accounts;
    private static DynamoProductStore products;
    private static DynamoAuditTrail audit;

    @BeforeAll
    static void start(LocalAws localAws) {
        aws = localAws;
        Env env = Env.of(aws.functionEnvironment("AdminRefundsFunction", Map.of()));
        AwsClients clients = new AwsClients(env);
        handler = new AdminRefundsHandler(AdminRefundsDependencies.wired(env, clients, aws.dynamo()));
        stopping = new StoppingDynamo(aws);
        stoppable = new AdminRefundsHandler(AdminRefundsDependencies.wired(env, clients, stopping.client()));
        stripe = StripeClient.builder().setApiKey(env.require("STRIPE_SECRET_KEY"))
                .setApiBase(env.require("STRIPE_API_BASE")).build();
        Clock clock = Clock.systemUTC();
        orders = new DynamoOrderStore(aws.dynamo(), aws.physicalName("OrdersTable"), clock, Samples.HASHER);
        accounts = new DynamoOrderAccounts(aws.dynamo(), aws.physicalName("OrdersTable"), clock);
        products = new DynamoProductStore(aws.dynamo(), aws.physicalName("ProductsTable"), clock);
        audit = new DynamoAuditTrail(aws.dynamo(), aws.physicalName("AdminAuditTable"), clock);
    }

    /**
     * A refund with restock: the read, (Stripe,) the refund's transaction, the restock's
     * transaction, (the queue,) the queued mail's mark; the last stop lets it run to the end.
     */
    @ParameterizedTest(name = "refund stopped before call {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void aRefundStoppedAnywhereIsRecordedWithItsLineOrNotAtAllAndItsRepeatFinishesIt(int stopBefore) throws Exception {
        String order = paidOrder();
        String sku = sku(order);
        APIGatewayV2HTTPEvent form = refund(order, "form-" + order.substring(10));

        stopped(stopBefore, form);
        assertAllOrNothing(order, sku);

        var repeat = handler.handleRequest(refund(order, "form-" + order.substring(10)), null);

        assertTrue(repeat.getStatusCode() == 200 || repeat.getStatusCode() == 201, repeat.getBody());
        assertEquals(1, aws.stripe().refunds(order).size(), "one refund at Stripe");
        OrderAccount account = accounts.find(order).orElseThrow();
        assertEquals(1, account.refunds().size());
        assertEquals(9850, account.order().amountRefunded());
        assertEquals("owner@localhost.test", account.refunds().get(0).by());
        assertTrue(account.restockedAt() != null, "the restock the form asked for is done");
        assertEquals(1, products.find(sku).orElseThrow().stock(), "the piece back once");
        assertEquals(List.of("order.refunded", "order.restocked"), actions(order));
        assertTrue(account.mailQueued(account.refunds().get(0).stripeRefundId()));
    }

    /** The restock action on its own: the read, then the mark, the pieces and the line in one transaction. */
    @ParameterizedTest(name = "restock stopped before call {0}")
    @ValueSource(ints = {1, 2, 3})
    void aRestockStoppedAnywhereGivesThePiecesBackWithItsLineOrNotAtAll(int stopBefore) throws Exception {
        String order = paidOrder();
        String sku = sku(order);
        var refunded = handler.handleRequest(withBody(refund(order, "form-" + order.substring(10)),
                "{\"amount\":100,\"reason\":\"duplicate\",\"restock\":false}"), null);
        assertEquals(201, refunded.getStatusCode(), refunded.getBody());

        stopped(stopBefore, restock(order));
        assertAllOrNothing(order, sku);

        int again = handler.handleRequest(restock(order), null).getStatusCode();

        boolean doneBefore = Collections.frequency(actions(order), "order.restocked") == 1 && again == 409;
        assertTrue(again == 200 || doneBefore, "a repeat is refused only once it is done: " + again);
        assertEquals(1, products.find(sku).orElseThrow().stock(), "the piece back once");
        assertEquals(List.of("order.refunded", "order.restocked"), actions(order));
    }

    /**
     * A restock of one piece of a two-piece order (the customer kept the other): the read, then the
     * counts, the piece and the line in one transaction. The same request again (the page's read
     * as it was) is refused once the piece is back, and puts it back when it is not.
     */
    @ParameterizedTest(name = "restock of one piece stopped before call {0}")
    @ValueSource(ints = {1, 2, 3})
    void aRestockOfOnePieceStoppedAnywhereGivesItBackWithItsLineOrNotAtAllAndNeverTwice(int stopBefore) throws Exception {
        String order = PaidOrders.paidOrder(aws, stripe, products, orders, "WP", 2);
        String returned = orders.find(order).orElseThrow().items().get(0).sku();
        String kept = orders.find(order).orElseThrow().items().get(1).sku();
        var refunded = handler.handleRequest(withBody(refund(order, "form-" + order.substring(10)),
                "{\"amount\":19700,\"reason\":\"requested_by_customer\",\"restock\":false}"), null);
        assertEquals(201, refunded.getStatusCode(), refunded.getBody());
        String onePiece = "{\"lines\":[{\"sku\":\"" + returned + "\",\"quantity\":1}],\"restockedPieces\":{}}";

        stopped(stopBefore, withBody(restock(order), onePiece));
        OrderAccount account = accounts.find(order).orElseThrow();
        int back = account.restockedOf(returned);
        assertEquals(back, Collections.frequency(actions(order), "order.restocked"),
                "the piece counted exactly when its line is there: " + actions(order));
        assertEquals(back, products.find(returned).orElseThrow().stock(), "the piece back exactly when it is counted");

        var again = handler.handleRequest(withBody(restock(order), onePiece), null);

        assertEquals(back == 1 ? 409 : 200, again.getStatusCode(), again.getBody());
        assertEquals(1, products.find(returned).orElseThrow().stock(), "the piece back once");
        assertEquals(0, products.find(kept).orElseThrow().stock(), "the kept piece is not put on sale");
        account = accounts.find(order).orElseThrow();
        assertEquals(Map.of(returned, 1, kept, 0), account.restockedPieces());
        assertEquals(null, account.restockedAt(), "not everything is back");
        assertEquals(List.of("order.refunded", "order.restocked"), actions(order));
    }

    private static void stopped(int stopBefore, APIGatewayV2HTTPEvent event) {
        // A stop is answered as any failure (a 5xx problem); what matters is what it left written.
        stopping.stoppedBefore(stopBefore, () -> stoppable.handleRequest(event, null));
    }

    private static void assertAllOrNothing(String order, String sku) {
        OrderAccount account = accounts.find(order).orElseThrow();
        List<String> actions = actions(order);
        boolean ownRefund = account.refunds().stream().anyMatch(r -> r.by().equals("owner@localhost.test"));
        assertEquals(ownRefund ? 1 : 0, Collections.frequency(actions, "order.refunded"),
                "the refund recorded exactly when its line is there: " + actions);
        boolean restocked = account.restockedAt() != null;
        assertEquals(restocked ? 1 : 0, Collections.frequency(actions, "order.restocked"),
                "the restock recorded exactly when its line is there: " + actions);
        assertEquals(restocked ? 1 : 0, products.find(sku).orElseThrow().stock(),
                "the piece back exactly when the restock is recorded");
    }

    private static List<String> actions(String order) {
        return audit.of("ORDER#" + order).stream().map(AdminAction::action).toList();
    }

    private static String sku(String order) {
        return orders.find(order).orElseThrow().items().get(0).sku();
    }

    private static String paidOrder() throws Exception {
        return PaidOrders.paidOrder(aws, stripe, products, orders, "WB");
    }

    /** The owner's half refund with restock, as the sample event sends it, with this Idempotency-Key. */
    private static APIGatewayV2HTTPEvent refund(String order, String idempotencyKey) {
        APIGatewayV2HTTPEvent event = withBody(forOrder("admin-refunds/refund-half.json", order),
                "{\"amount\":9850,\"reason\":\"requested_by_customer\",\"note\":\"Clasp bent\",\"restock\":true}");
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("idempotency-key", idempotencyKey);
        event.setHeaders(headers);
        return event;
    }

    private static APIGatewayV2HTTPEvent withBody(APIGatewayV2HTTPEvent event, String body) {
        event.setBody(body);
        return event;
    }

    private static APIGatewayV2HTTPEvent restock(String order) {
        return forOrder("admin-refunds/restock.json", order);
    }

    private static APIGatewayV2HTTPEvent forOrder(String sample, String order) {
        APIGatewayV2HTTPEvent event = SampleEvents.api(sample);
        event.setRawPath(event.getRawPath().replace(SAMPLE_ORDER, order));
        event.setPathParameters(Map.of("id", order));
        return event;
    }
}
