package shop.adminorders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import shop.commerce.Money;
import shop.commerce.catalog.DynamoProductStore;
import shop.commerce.orders.DynamoOrderStore;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderItem;
import shop.commerce.orders.OrderMessage;
import shop.commerce.orders.OrderNumber;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.OrderStep;
import shop.commerce.orders.OrderTotals;
import shop.commerce.orders.ShippingAddress;
import shop.commerce.stats.DynamoOrderCounter;
import shop.commerce.testing.Samples;
import shop.core.admin.AdminAction;
import shop.core.admin.AdminCaller;
import shop.core.dynamo.DynamoAuditTrail;
import shop.core.email.EmailAddress;
import shop.core.errors.ConflictException;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.StoppingDynamo;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * An owner's acceptance, a shipment and its correction, a change of the shipping address, an email correction, through the service on the real adapters and the local
 * DynamoDB stand-in, stopped before each of their DynamoDB calls in turn: the order's status, the
 * stock it takes, its count and its trail line are written all together or not at all, and
 * pressing again finishes the job without doing any of it twice.
 */
@ExtendWith(LocalAwsExtension.class)
class OrderChangesAllOrNothingTest {
    private static final AdminCaller OWNER = new AdminCaller("sub-owner", "olive", Set.of("owners"));
    private static final AdminCaller STAFF = new AdminCaller("sub-staff", "sam", Set.of("staff"));
    private static final String URL = "https://track.example.com/RM123456789GB";
    /** Stops the code under test before its n-th DynamoDB call, as a function stopped there. */
    private static StoppingDynamo stopping;

    private static LocalAws aws;
    private static DynamoOrderStore store;
    private static DynamoProductStore products;
    private static DynamoOrderCounter counter;
    private static DynamoAuditTrail trail;
    private static AdminOrdersDependencies stoppable;
    private static Fakes.Events events;

    private String sku;
    private LocalDate day;

    @BeforeAll
    static void connect(LocalAws localAws) {
        aws = localAws;
        Clock clock = Clock.systemUTC();
        String orders = aws.physicalName("OrdersTable");
        store = new DynamoOrderStore(aws.dynamo(), orders, clock, Samples.HASHER);
        products = new DynamoProductStore(aws.dynamo(), aws.physicalName("ProductsTable"), clock);
        counter = new DynamoOrderCounter(aws.dynamo(), aws.physicalName("StatsTable"));
        trail = new DynamoAuditTrail(aws.dynamo(), aws.physicalName("AdminAuditTable"), clock);
        stopping = new StoppingDynamo(aws);
        DynamoDbClient stoppingClient = stopping.client();
        DynamoAuditTrail stoppingTrail = new DynamoAuditTrail(stoppingClient, aws.physicalName("AdminAuditTable"), clock);
        var book = new DynamoOrderBook(stoppingClient, orders, aws.physicalName("ProductsTable"),
                new DynamoOrderCounter(stoppingClient, aws.physicalName("StatsTable")), stoppingTrail, Samples.HASHER, clock);
        events = new Fakes.Events();
        stoppable = AdminOrdersDependencies.of(book, book, campaigns -> Map.of(), address -> Optional.empty(), events, stoppingTrail, stoppingTrail, new Fakes.Exports(), username -> Optional.empty(),
                clock, () -> { });
    }

    @BeforeEach
    void freshPieceAndDay() {
        sku = "ACCEPT-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        products.save(Samples.product(sku, 9250, 3), true);
        // A day of its own long ago (other tests list their orders as the newest): its count is this test's orders only.
        day = LocalDate.of(1971, 1, 1).plusDays(ThreadLocalRandom.current().nextInt(10_000));
        events.published.clear();
    }

    /**
     * An order a Payment Link made (no reservation, nothing taken, not counted), accepted with a
     * stop before each call: the GetItem, the transaction, the note that OrderPaid is queued, and
     * the record's reads.
     */
    @ParameterizedTest(name = "stopped before call {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void anAcceptanceStoppedAnywhereLeavesAllOrNothingAndPressingAgainFinishesIt(int stopBefore) {
        String id = attentionOrder(null, 2);

        press(stopBefore, () -> stoppable.acceptances().accept(OWNER, id, "Checked with the customer", false));

        boolean accepted = store.find(id).orElseThrow().status() == OrderStatus.PAID;
        assertEquals(accepted ? 1 : 3, stock(), "the pieces taken exactly when it was accepted");
        assertEquals(accepted ? 1 : 0, lines(id, "order.accepted"), "its line exactly when it was accepted");
        assertEquals(accepted ? 1 : 0, counter.orders(day), "counted exactly when it was accepted");

        Map<String, Object> again = stoppable.acceptances().accept(OWNER, id, "Checked with the customer", false);

        assertEquals("PAID", again.get("status"));
        assertEquals(1, stock(), "two pieces taken, once");
        assertEquals(1, lines(id, "order.accepted"));
        assertEquals(1, counter.orders(day));
        assertTrue(store.find(id).orElseThrow().isDone(OrderStep.STOCK_TAKEN), "a refund's restock gives them back");
        assertTrue(store.find(id).orElseThrow().isDone(OrderStep.PAID_EFFECTS));
        assertTrue(events.published.contains(new OrderMessage(OrderMessage.Type.ORDER_PAID, id)));
        int queued = events.published.size();

        stoppable.acceptances().accept(OWNER, id, "Checked with the customer", false);

        assertEquals(queued, events.published.size(), "a repeat of a finished acceptance queues nothing");
        assertEquals(1, lines(id, "order.accepted"));
        assertEquals(1, stock());
    }

    @Test
    void anOrderSoldToItsReservationTakesNothingMoreAndIsCountedOnce() {
        String id = attentionOrder("res_bound_" + sku, 1);
        assertTrue(counter.count(day, id), "counted when its payment sold its reservation");

        stoppable.acceptances().accept(OWNER, id, null, false);

        Order order = store.find(id).orElseThrow();
        assertEquals(OrderStatus.PAID, order.status());
        assertEquals("deactivated_email", order.attentionReason(), "the record keeps why it needed the owner");
        assertEquals("deactivated_email", stoppable.records().detail(id).get("attentionReason"));
        assertEquals(3, stock(), "its reservation's piece was sold when it was paid");
        assertEquals(1, counter.orders(day), "not counted twice");
        assertEquals(1, lines(id, "order.accepted"));
    }

    @Test
    void aPieceNoLongerInStockIsAConflictNamingItWithNothingWritten() {
        String gone = sku + "-GONE";
        products.save(Samples.product(gone, 4000, 0), true);
        String id = attentionOrder(null, 1, gone);

        ConflictException refused = assertThrows(ConflictException.class, () -> stoppable.acceptances().accept(OWNER, id, null, false));

        assertTrue(refused.getMessage().contains(gone), refused.getMessage());
        assertEquals(OrderStatus.NEEDS_ATTENTION, store.find(id).orElseThrow().status());
        assertEquals(3, stock(), "the piece still there was not taken either");
        assertEquals(0, products.find(gone).orElseThrow().stock());
        assertEquals(0, lines(id, "order.accepted"));
        assertEquals(0, counter.orders(day));
        assertTrue(events.published.isEmpty());
    }

    /**
     * A piece in stock but archived: refused as archived (not as gone), nothing written; the owner's
     * explicit word takes it, and the archived piece stays archived.
     */
    @Test
    void anArchivedPieceIsTakenOnlyOnTheOwnersExplicitWord() {
        String archived = sku + "-ARCH";
        products.save(new shop.commerce.catalog.Product(archived, "Retired brooch", "", Money.of(4000, "USD"), 1,
                List.of(), false), true);
        String id = attentionOrder(null, 1, archived);

        ConflictException refused = assertThrows(ConflictException.class,
                () -> stoppable.acceptances().accept(OWNER, id, null, false));

        assertTrue(refused.getMessage().contains(archived + " is archived"), refused.getMessage());
        assertEquals(OrderStatus.NEEDS_ATTENTION, store.find(id).orElseThrow().status());
        assertEquals(3, stock());
        assertEquals(1, products.find(archived).orElseThrow().stock());
        assertEquals(0, lines(id, "order.accepted"));
        assertTrue(events.published.isEmpty());

        Map<String, Object> accepted = stoppable.acceptances().accept(OWNER, id, "Kept aside for her", true);

        assertEquals("PAID", accepted.get("status"));
        assertEquals(0, products.find(archived).orElseThrow().stock(), "the archived piece taken");
        assertEquals(false, products.find(archived).orElseThrow().active(), "and still not on sale");
        assertEquals(2, stock());
        assertEquals(1, lines(id, "order.accepted"));
        assertEquals(1, counter.orders(day));
    }

    /** A shipment stopped before each call: the GetItem, the transaction, the erasure's finish, the record's reads. */
    @ParameterizedTest(name = "stopped before call {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void aShipmentStoppedAnywhereLeavesAllOrNothingAndPressingAgainFinishesIt(int stopBefore) {
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        assertTrue(store.create(Samples.order(id, OrderStatus.PAID, "ada@example.com", "Ada Lovelace"),
                Instant.now().plusSeconds(86_400).getEpochSecond()));

        press(stopBefore, () -> stoppable.shipments().ship(STAFF, id, "Royal Mail", "RM123456789GB", URL));

        boolean shipped = store.find(id).orElseThrow().status() == OrderStatus.SHIPPED;
        assertEquals(shipped ? 1 : 0, lines(id, "order.shipped"), "its line exactly when it shipped");

        Map<String, Object> again = stoppable.shipments().ship(STAFF, id, "Royal Mail", "RM123456789GB", URL);

        assertEquals("SHIPPED", again.get("status"));
        assertEquals(1, lines(id, "order.shipped"));
        assertTrue(events.published.contains(new OrderMessage(OrderMessage.Type.ORDER_SHIPPED, id)));
    }

    /**
     * A correction of a shipped order stopped before each call (the GetItem, the transaction, the
     * record's reads): its new values and its line together or neither, and pressing again with the
     * same form finishes it (the correction's message queued) without a second correction.
     */
    @ParameterizedTest(name = "stopped before call {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void aCorrectionStoppedAnywhereLeavesAllOrNothingAndPressingAgainFinishesIt(int stopBefore) {
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        assertTrue(store.create(Samples.order(id, OrderStatus.PAID, "ada@example.com", "Ada Lovelace"),
                Instant.now().plusSeconds(86_400).getEpochSecond()));
        stoppable.shipments().ship(STAFF, id, "Royal Mail", "RM12345678GB", "https://track.example.com/RM12345678GB");
        events.published.clear();

        press(stopBefore, () -> stoppable.shipments().correctShipment(STAFF, id, "Royal Mail", "RM123456789GB", URL, 0));

        Map<?, ?> shipment = (Map<?, ?>) stoppable.records().detail(id).get("shipment");
        boolean corrected = URL.equals(shipment.get("trackingUrl"));
        assertEquals(corrected ? 1L : null, shipment.get("corrections"));
        assertEquals(corrected ? 1 : 0, lines(id, "order.shipment_corrected"), "its line exactly when it was corrected");

        Map<String, Object> again = stoppable.shipments().correctShipment(STAFF, id, "Royal Mail", "RM123456789GB", URL, 0);

        assertEquals(URL, ((Map<?, ?>) again.get("shipment")).get("trackingUrl"));
        assertEquals(1L, ((Map<?, ?>) again.get("shipment")).get("corrections"));
        assertEquals(1, lines(id, "order.shipment_corrected"));
        assertTrue(events.published.contains(new OrderMessage(OrderMessage.Type.SHIPMENT_CORRECTED, id, "1")));
        assertTrue(events.published.stream().allMatch(m -> "1".equals(m.ref())), events.published.toString());
    }

    /**
     * A change of the shipping address stopped before each call (the GetItem, the transaction, the record's reads): the
     * new address and its line together or neither, and pressing again with the same form (the version it read) finishes
     * it (the change's message queued) without a second change.
     */
    @ParameterizedTest(name = "stopped before call {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void anAddressChangeStoppedAnywhereLeavesAllOrNothingAndPressingAgainFinishesIt(int stopBefore) {
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        assertTrue(store.create(Samples.order(id, OrderStatus.PAID, "ada@example.com", "Ada Lovelace"),
                Instant.now().plusSeconds(86_400).getEpochSecond()));
        String read = (String) stoppable.records().detail(id).get("shippingVersion");
        ShippingAddress paris = new ShippingAddress("8 Rue de Rivoli", null, "75004", "Paris", null, "FR");

        press(stopBefore, () -> stoppable.addressChanges().changeShippingAddress(STAFF, id, "Ada King", paris, read));

        Map<String, Object> order = stoppable.records().detail(id);
        boolean changed = "8 Rue de Rivoli".equals(((Map<?, ?>) order.get("shipping")).get("line1"));
        assertEquals(changed ? "FR" : "US", order.get("country"));
        assertEquals(changed ? 1L : null, order.get("shippingChanges"));
        assertEquals(changed ? 1 : 0, lines(id, "order.shipping_address_changed"), "its line exactly when it was changed");

        Map<String, Object> again = stoppable.addressChanges().changeShippingAddress(STAFF, id, "Ada King", paris, read);

        assertEquals("8 Rue de Rivoli", ((Map<?, ?>) again.get("shipping")).get("line1"));
        assertEquals(1L, again.get("shippingChanges"));
        assertEquals(1, lines(id, "order.shipping_address_changed"));
        assertTrue(events.published.contains(new OrderMessage(OrderMessage.Type.SHIPPING_ADDRESS_CHANGED, id, "1")));
    }

    /**
     * A correction of the customer email stopped before each call (the GetItem, the transaction, the record's reads):
     * the new address, its hash and its line together or neither, and pressing again with the same form (the version
     * it read) finishes it (the correction's message queued) without a second correction.
     */
    @ParameterizedTest(name = "stopped before call {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void anEmailCorrectionStoppedAnywhereLeavesAllOrNothingAndPressingAgainFinishesIt(int stopBefore) {
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        assertTrue(store.create(Samples.order(id, OrderStatus.PAID, "ada@gmial.com", "Ada Lovelace"),
                Instant.now().plusSeconds(86_400).getEpochSecond()));
        String read = (String) stoppable.records().detail(id).get("emailVersion");
        EmailAddress right = new EmailAddress("ada@gmail.com");

        press(stopBefore, () -> stoppable.emailChanges().changeEmail(STAFF, id, right, read));

        Map<String, Object> order = stoppable.records().detail(id);
        boolean changed = "ada@gmail.com".equals(order.get("customerEmail"));
        assertEquals(changed ? 1L : null, order.get("emailChanges"));
        String storedHash = aws.dynamo().getItem(b -> b.tableName(aws.physicalName("OrdersTable"))
                .key(shop.core.dynamo.DynamoItems.key("ORDER#" + id)).consistentRead(true)).item().get("emailHash").s();
        assertEquals(shop.commerce.orders.OrderIndexes.emailHash(Samples.HASHER, changed ? "ada@gmail.com" : "ada@gmial.com"),
                storedHash, "the index key moves with the address, or neither moves");
        assertEquals(changed ? 1 : 0, lines(id, "order.email_changed"), "its line exactly when it was changed");

        Map<String, Object> again = stoppable.emailChanges().changeEmail(STAFF, id, right, read);

        assertEquals("ada@gmail.com", again.get("customerEmail"));
        assertEquals(1L, again.get("emailChanges"));
        assertEquals(1, lines(id, "order.email_changed"));
        assertTrue(events.published.contains(new OrderMessage(OrderMessage.Type.ORDER_EMAIL_CHANGED, id, "1")));
    }

    private static void press(int stopBefore, Runnable action) {
        stopping.stoppedBefore(stopBefore, action);
    }

    private String attentionOrder(String reservationId, int quantity) {
        return attentionOrder(reservationId, quantity, null);
    }

    /** A NEEDS_ATTENTION order created on this test's day: {@code quantity} of the test's piece, and one of {@code other}. */
    private String attentionOrder(String reservationId, int quantity, String other) {
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        Money price = Money.of(9250, "USD");
        List<OrderItem> items = other == null
                ? List.of(new OrderItem(sku, "Aria ring", quantity, price, Money.of(9250L * quantity, "USD")),
                        new OrderItem(null, "Gift wrap (not from the catalog)", 1, Money.of(0, "USD"), Money.of(0, "USD")))
                : List.of(new OrderItem(sku, "Aria ring", quantity, price, Money.of(9250L * quantity, "USD")),
                        new OrderItem(other, "Gone piece", 1, price, price));
        long total = items.stream().mapToLong(item -> item.total().amount()).sum();
        Order order = new Order(id, OrderNumber.of(id), OrderStatus.NEEDS_ATTENTION, reservationId, "Ada Lovelace",
                "ada@example.com", Samples.address("Ada Lovelace"), null, items,
                new OrderTotals(Money.of(total, "USD"), Money.of(0, "USD"), Money.of(0, "USD"), Money.of(0, "USD"),
                        Money.of(total, "USD")),
                0, "pi_" + id, false, day.atTime(12, 0).toInstant(ZoneOffset.UTC), null, Set.of(OrderStep.ATTENTION_MAIL),
                reservationId == null ? "no_reservation" : "deactivated_email");
        assertTrue(store.create(order, Instant.now().plusSeconds(86_400).getEpochSecond()));
        return id;
    }

    private int stock() {
        return products.find(sku).orElseThrow().stock();
    }

    private static long lines(String orderId, String action) {
        List<AdminAction> actions = trail.of("ORDER#" + orderId);
        return actions.stream().filter(a -> a.action().equals(action)).count();
    }
}
