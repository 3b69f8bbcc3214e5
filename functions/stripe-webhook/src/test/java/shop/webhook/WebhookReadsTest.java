package shop.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.stripe.StripeClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.catalog.DynamoProductStore;
import shop.commerce.orders.DynamoOrderAccounts;
import shop.commerce.orders.OrderAccount;
import shop.commerce.orders.OrderStatus;
import shop.commerce.reservations.DynamoReservationStore;
import shop.commerce.reservations.Reservation;
import shop.commerce.reservations.ReservedLine;
import shop.commerce.reservations.StockReservations;
import shop.commerce.testing.ItemReads;
import shop.commerce.testing.Samples;
import shop.core.aws.AwsClients;
import shop.core.config.Env;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.StripeStandIn;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * How often one refund or dispute event reads its order: once; and a paid checkout its
 * reservation: once, to judge the session and write its sale. The webhook's real wiring and
 * adapters against the local stand-ins, its DynamoDB client carrying an SDK execution interceptor
 * ({@link ItemReads}) that notes every read it sends; the event's own processed mark, on another
 * item of the same table, is not the order's.
 */
@ExtendWith(LocalAwsExtension.class)
class WebhookReadsTest {
    private static final ItemReads READS = new ItemReads();
    private static LocalAws aws;
    private static String ordersTable;
    private static WebhookHandler handler;
    private static DynamoProductStore products;
    private static StockReservations stock;
    private static DynamoOrderAccounts accounts;
    private static StripeClient stripe;

    @BeforeAll
    static void start(LocalAws localAws) {
        aws = localAws;
        ordersTable = aws.physicalName("OrdersTable");
        Env env = Env.of(aws.functionEnvironment("StripeWebhookFunction", Map.of()));
        AwsClients clients = new AwsClients(env);
        DynamoDbClient counted = clients.build(DynamoDbClient.builder()
                .overrideConfiguration(o -> o.addExecutionInterceptor(READS)), "DYNAMODB");
        handler = new WebhookHandler(WebhookDependencies.wired(env, clients, counted));
        Clock clock = Clock.systemUTC();
        products = new DynamoProductStore(aws.dynamo(), aws.physicalName("ProductsTable"), clock);
        stock = new StockReservations(new DynamoReservationStore(aws.dynamo(), aws.physicalName("CheckoutsTable"),
                aws.physicalName("ProductsTable"), clock), clock);
        accounts = new DynamoOrderAccounts(aws.dynamo(), ordersTable, clock);
        stripe = StripeClient.builder().setApiKey(env.require("STRIPE_SECRET_KEY"))
                .setApiBase(env.require("STRIPE_API_BASE")).build();
    }

    @Test
    void aRefundEventReadsItsOrderOnceAndADuplicateOfItOnceToo() throws Exception {
        String session = paidOrder(true);
        String charge = StripeStandIn.objectId(aws.stripe().dashboardRefund(session, 5000L));

        assertEquals(1, orderReads(session, () -> deliver("charge-refunded.json", Map.of("ch_3SampleCharge0001", charge))));
        assertEquals(1, orderReads(session, () -> deliver("charge-refunded.json", Map.of("ch_3SampleCharge0001", charge))),
                "another event about the same refund");

        OrderAccount account = accounts.find(session).orElseThrow();
        assertEquals(5000, account.order().amountRefunded());
        assertEquals(1, account.refunds().size());
        assertTrue(account.mailQueued(account.refunds().get(0).stripeRefundId()));
    }

    @Test
    void aRefundOfAnOrderThatNeedsAttentionReadsItOnce() throws Exception {
        String session = paidOrder(false);
        assertEquals(OrderStatus.NEEDS_ATTENTION, accounts.find(session).orElseThrow().order().status());
        String charge = StripeStandIn.objectId(aws.stripe().dashboardRefund(session, 19700L));

        assertEquals(1, orderReads(session, () -> deliver("charge-refunded.json", Map.of("ch_3SampleCharge0001", charge))));

        OrderAccount account = accounts.find(session).orElseThrow();
        assertEquals(OrderStatus.REFUNDED, account.order().status());
        assertTrue(account.mailQueued(account.refunds().get(0).stripeRefundId()));
    }

    @Test
    void eachDisputeEventReadsItsOrderOnce() throws Exception {
        String session = paidOrder(true);
        String dispute = StripeStandIn.objectId(aws.stripe().dispute(session, "fraudulent"));
        Map<String, String> ids = Map.of("du_1SampleDispute0001", dispute);

        assertEquals(1, orderReads(session, () -> deliver("charge-dispute-created.json", ids)));
        assertEquals(1, orderReads(session, () -> deliver("charge-dispute-created.json", ids)), "again");
        OrderAccount open = accounts.find(session).orElseThrow();
        assertTrue(open.needsAttention());
        assertTrue(open.mailQueued(dispute));

        aws.stripe().closeDispute(dispute, false);
        assertEquals(1, orderReads(session, () -> deliver("charge-dispute-closed.json", ids)));
        OrderAccount closed = accounts.find(session).orElseThrow();
        assertEquals("lost", closed.dispute().outcome());
        assertFalse(closed.needsAttention());
    }

    @Test
    void aPaidCheckoutReadsItsReservationOnceAndItsSaleStillTakesThePieceFromHeld() throws Exception {
        Paid paid = paidSession(true);
        String checkoutsTable = aws.physicalName("CheckoutsTable");
        assertEquals(List.of(0, 1), stockAndHeld(paid.sku()), "held by the checkout");

        READS.clear();
        deliver("checkout-session-completed.json", paid.session());

        assertEquals(1, READS.of(checkoutsTable, "RESERVATION#" + paid.reservation()).size(),
                "read to judge the session, and its sale written from that read");
        assertEquals(OrderStatus.PAID, accounts.find(paid.session()).orElseThrow().order().status());
        assertEquals(Reservation.Status.SOLD, stock.find(paid.reservation()).orElseThrow().status());
        assertEquals(List.of(0, 0), stockAndHeld(paid.sku()), "sold: out of held, not back on sale");
    }

    /** The reads of the order's item (and any Query or Scan of its table) while {@code delivery} ran. */
    private static int orderReads(String session, Runnable delivery) {
        READS.clear();
        delivery.run();
        List<ItemReads.Read> reads = READS.of(ordersTable, "ORDER#" + session);
        return reads.size();
    }

    private static void deliver(String sample, Map<String, String> ids) {
        var response = handler.handleRequest(signed(sample, null, ids), null);
        assertEquals(200, response.getStatusCode(), response.getBody());
    }

    private static void deliver(String sample, String session) {
        var response = handler.handleRequest(signed(sample, session, Map.of()), null);
        assertEquals(200, response.getStatusCode(), response.getBody());
    }

    /**
     * A paid order the webhook recorded: with its reservation (PAID), or through a session that
     * names none, as a Payment Link's (NEEDS_ATTENTION).
     */
    private static String paidOrder(boolean reserved) throws Exception {
        Paid paid = paidSession(reserved);
        deliver("checkout-session-completed.json", paid.session());
        return paid.session();
    }

    /** A session paid at the Stripe stand-in for one piece, its reservation (null: none) and the piece's SKU. */
    private record Paid(String session, String reservation, String sku) {}

    /** A checkout paid at Stripe, its completion not delivered yet. */
    private static Paid paidSession(boolean reserved) throws Exception {
        String sku = "WR-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        products.save(Samples.product(sku, 18500, 1), true);
        var params = PieceSessions.forOnePiece(sku);
        Reservation reservation = null;
        if (reserved) {
            reservation = stock.reserve(List.of(new ReservedLine(sku, 1)));
            params.putMetadata("reservation_id", reservation.id());
        }
        var session = stripe.v1().checkout().sessions().create(params.build());
        if (reserved) {
            stock.attachSession(reservation.id(), session.getId(), new Reservation.Priced(18500, 1200, "usd"));
        }
        aws.stripe().pay(session.getId(), StripeStandIn.PaymentMethod.CARD, StripeStandIn.Customer.SAMPLE);
        return new Paid(session.getId(), reserved ? reservation.id() : null, sku);
    }

    /** The product item's {@code stock} and {@code held}, as stored. */
    private static List<Integer> stockAndHeld(String sku) {
        var item = aws.dynamo().getItem(b -> b.tableName(aws.physicalName("ProductsTable"))
                .key(DynamoProductStore.key(sku)).consistentRead(true)).item();
        return List.of(Integer.parseInt(item.get("stock").n()), DynamoProductStore.held(item));
    }

    private static APIGatewayV2HTTPEvent signed(String sample, String session, Map<String, String> ids) {
        return SignedEvents.fromSample(sample, session, ids);
    }
}
