package shop.admincatalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import shop.commerce.Money;
import shop.commerce.catalog.DynamoProductStore;
import shop.commerce.catalog.Product;
import shop.commerce.reservations.DynamoReservationStore;
import shop.commerce.reservations.Reservation;
import shop.commerce.reservations.ReservedLine;
import shop.commerce.reservations.StockReservations;
import shop.core.admin.AdminAction;
import shop.core.admin.AdminCaller;
import shop.core.dynamo.DynamoAuditTrail;
import shop.core.dynamo.DynamoItems;
import shop.core.errors.ConflictException;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.StoppingDynamo;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The catalog's changes and their trail lines on the local stand-in's products and audit tables,
 * through the service and the function's own adapters: a change stopped before any of its
 * DynamoDB calls (as a Lambda timeout or a crash stops it) leaves the product changed with its
 * line or neither; a refused change writes no line.
 */
@ExtendWith(LocalAwsExtension.class)
class DynamoProductAdminStoreTest {
    private static final AdminCaller OWNER = new AdminCaller("sub-owner", "owner@localhost.test", Set.of("owners"));
    private static final String IMAGES = "https://d111.cloudfront.net";
    /** Every DynamoDB operation the adapters send. */
    private static final List<String> operations = new CopyOnWriteArrayList<>();
    /** Stops the code under test before its n-th DynamoDB call, as a function stopped there. */
    private static StoppingDynamo stopping;
    /** Runs once, just before the next TransactWriteItems: another writer at that moment. */
    private static volatile Runnable beforeTransaction;
    private static LocalAws aws;
    private static DynamoProductStore catalog;
    private static DynamoAuditTrail trail;
    private static AdminCatalogService service;
    private static AdminCatalogService stoppable;
    private String sku;

    @BeforeAll
    static void connect(LocalAws localAws) {
        aws = localAws;
        Clock clock = Clock.systemUTC();
        catalog = new DynamoProductStore(aws.dynamo(), aws.physicalName("ProductsTable"), clock);
        trail = new DynamoAuditTrail(aws.dynamo(), aws.physicalName("AdminAuditTable"), clock);
        service = service(aws.dynamo(operation -> {
            operations.add(operation);
            Runnable meanwhile = beforeTransaction;
            if (meanwhile != null && operation.equals("TransactWriteItems")) {
                beforeTransaction = null;
                meanwhile.run();
            }
        }));
        stopping = new StoppingDynamo(aws);
        stoppable = service(stopping.client());
    }

    private static AdminCatalogService service(DynamoDbClient dynamo) {
        Clock clock = Clock.systemUTC();
        var lines = new DynamoAuditTrail(dynamo, aws.physicalName("AdminAuditTable"), clock);
        return new AdminCatalogService(new DynamoProductAdminStore(dynamo, aws.physicalName("ProductsTable"), lines, clock),
                (key, type, size, lifetime) -> {
                    throw new AssertionError("no upload here");
                }, IMAGES, clock);
    }

    @BeforeEach
    void product() {
        sku = "TX-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        operations.clear();
    }

    /** Each change of the catalog: what it does, and whether the product shows it done. */
    enum Change {
        CREATE("product.created", (s, sku) -> s.create(OWNER, draft(sku, 12000, 3))),
        EDIT("product.price_changed", (s, sku) -> s.update(OWNER, sku, 1, draft(sku, 13500, 3))),
        ARCHIVE("product.archived", (s, sku) -> s.archive(OWNER, sku)),
        UNARCHIVE("product.unarchived", (s, sku) -> s.unarchive(OWNER, sku)),
        // "+2" sent again with its Idempotency-Key, as the page does after a lost answer: made once.
        STOCK("product.stock_changed", (s, sku) -> s.adjustStock(OWNER, sku, 2, "press-" + sku));

        final String action;
        final BiConsumer<AdminCatalogService, String> run;

        Change(String action, BiConsumer<AdminCatalogService, String> run) {
            this.action = action;
            this.run = run;
        }

        boolean done(Optional<Product> product) {
            return switch (this) {
                case CREATE -> product.isPresent();
                case EDIT -> product.orElseThrow().price().amount() == 13500;
                case ARCHIVE -> !product.orElseThrow().active();
                case UNARCHIVE -> product.orElseThrow().active();
                case STOCK -> product.orElseThrow().stock() == 5;
            };
        }
    }

    static Stream<Arguments> stops() {
        // Up to three calls: the read, the transaction, the read after it; a stop past the last runs to the end.
        return Stream.of(Change.values()).flatMap(change -> IntStream.rangeClosed(1, 4)
                .mapToObj(stop -> Arguments.of(change, stop)));
    }

    /**
     * The change stopped before each of its DynamoDB calls in turn, then sent again as the owner's
     * page sends it: right after the stop the product shows it exactly when its line is there; in
     * the end it is done once, with one line.
     */
    @ParameterizedTest(name = "{0} stopped before call {1}")
    @MethodSource("stops")
    void aChangeStoppedAnywhereIsWrittenWithItsLineOrNotAtAllAndItsRepeatRecordsItOnce(Change change, int stopBefore) {
        if (change != Change.CREATE) {
            service.create(OWNER, draft(sku, 12000, 3));
        }
        if (change == Change.UNARCHIVE) {
            service.archive(OWNER, sku);
        }
        stopping.stoppedBefore(stopBefore, () -> change.run.accept(stoppable, sku));

        boolean done = change.done(catalog.find(sku));
        assertEquals(done ? List.of(change.action) : List.of(), lines(change.action),
                "the change and its line are both there or neither");

        try {
            change.run.accept(service, sku);
        } catch (ConflictException doneAlready) {
            assertTrue(done, "refused only when the first one was written: " + doneAlready.getMessage());
        }
        assertTrue(change.done(catalog.find(sku)));
        assertEquals(List.of(change.action), lines(change.action), "one line for one change");
    }

    @Test
    void aRefusedChangeWritesNothingAndNoLine() {
        service.create(OWNER, draft(sku, 12000, 3));
        service.update(OWNER, sku, 1, draft(sku, 13500, 3));
        List<AdminAction> before = trail.of("PRODUCT#" + sku);

        var stale = assertThrows(ConflictException.class, () -> service.update(OWNER, sku, 1, draft(sku, 9900, 3)));
        assertTrue(stale.getMessage().contains("changed by someone else"), stale.getMessage());
        var exists = assertThrows(ConflictException.class, () -> service.create(OWNER, draft(sku, 1, 1)));
        assertTrue(exists.getMessage().contains("exists already"), exists.getMessage());
        var belowZero = assertThrows(ConflictException.class, () -> service.adjustStock(OWNER, sku, -4));
        assertTrue(belowZero.getMessage().contains("are held by open checkouts and 3 are for sale"),
                belowZero.getMessage());
        service.unarchive(OWNER, sku);
        service.archive(OWNER, sku);
        service.archive(OWNER, sku);
        service.unarchive(OWNER, sku);
        service.unarchive(OWNER, sku);
        // Two clicks that both read it archived: the second's write is refused by its condition.
        var store = new DynamoProductAdminStore(aws.dynamo(), aws.physicalName("ProductsTable"), trail, Clock.systemUTC());
        assertFalse(store.setOnSale(sku, true, new AdminAction("PRODUCT#" + sku, java.time.Instant.now(), "sub-owner",
                "owner@localhost.test", "product.unarchived", "{\"active\":false}", "{\"active\":true}", 0)));

        Product stored = catalog.find(sku).orElseThrow();
        assertEquals(List.of(13500L, 3L), List.of(stored.price().amount(), (long) stored.stock()));
        assertTrue(stored.active());
        assertEquals(List.of("product.created", "product.price_changed", "product.archived", "product.unarchived"),
                trail.of("PRODUCT#" + sku).stream().map(AdminAction::action).toList());
        assertEquals(before.size() + 2, trail.of("PRODUCT#" + sku).size(),
                "on sale already, archived twice, put back twice, refused once: two lines");
    }

    /**
     * A checkout takes a piece between the stock change's read and its write: the write is refused
     * (its count is not the one read), read again and made on the new count, so neither is lost
     * and the line's before and after are the count's own.
     */
    @Test
    void aCheckoutTakingAPieceMeanwhileIsNotLostAndTheLineSaysWhatTheCountWas() {
        service.create(OWNER, draft(sku, 12000, 3));
        beforeTransaction = () -> takeOnePiece(sku);
        operations.clear();

        StockLevel level = service.adjustStock(OWNER, sku, 5);

        assertEquals(7, level.stock());
        assertEquals(7, catalog.find(sku).orElseThrow().stock(), "3, less one sold meanwhile, plus 5");
        assertEquals(2, operations.stream().filter("TransactWriteItems"::equals).count(), operations.toString());
        AdminAction line = trail.of("PRODUCT#" + sku).stream()
                .filter(a -> a.action().equals("product.stock_changed")).findFirst().orElseThrow();
        assertEquals("{\"available\":2}", line.before());
        assertTrue(line.after().contains("\"available\":7") && line.after().contains("\"delta\":5"), line.after());
        assertEquals(1, lines("product.stock_changed").size());
    }

    @Test
    void eachChangeIsOneTransactionOfTheProductAndItsLine() {
        Consumer<Runnable> oneTransaction = change -> {
            operations.clear();
            change.run();
            assertEquals(1, operations.stream().filter("TransactWriteItems"::equals).count(), operations.toString());
            assertFalse(operations.contains("PutItem") || operations.contains("UpdateItem"), operations.toString());
        };
        oneTransaction.accept(() -> service.create(OWNER, draft(sku, 12000, 3)));
        oneTransaction.accept(() -> service.update(OWNER, sku, 1, draft(sku, 13500, 3)));
        oneTransaction.accept(() -> service.adjustStock(OWNER, sku, 1));
        oneTransaction.accept(() -> service.archive(OWNER, sku));
        oneTransaction.accept(() -> service.unarchive(OWNER, sku));
        assertEquals(5, trail.of("PRODUCT#" + sku).size());
    }

    /** The owner fixes an archived piece's description before putting it back on sale. */
    @Test
    void anArchivedProductIsEditedAndStaysArchivedUntilPutBackOnSale() {
        service.create(OWNER, draft(sku, 12000, 3));
        service.archive(OWNER, sku);

        AdminProductView edited = service.update(OWNER, sku, 2, new ProductDraft(sku, "Piece", "Silver, for winter",
                Money.of(12000, "USD"), 3, List.of(), null, false));

        assertFalse(edited.active());
        assertEquals("Silver, for winter", catalog.find(sku).orElseThrow().description());
        assertFalse(catalog.find(sku).orElseThrow().active(), "the edit keeps it archived");
        assertTrue(service.unarchive(OWNER, sku).active());
        assertEquals(List.of("product.created", "product.archived", "product.updated", "product.unarchived"),
                trail.of("PRODUCT#" + sku).stream().map(AdminAction::action).toList());
    }

    /**
     * A checkout holds the one-of-a-kind piece: the item says 0 for sale and 1 held, the list
     * shows both, the owner's "+" is refused naming the held piece and writes nothing; when the
     * checkout ends unpaid the piece is back, once, and "+" is still refused (one at most).
     */
    @Test
    void aOneOfAKindPieceHeldByACheckoutShowsHeldAndGetsNoSecondPieceForSale() {
        service.create(OWNER, oneOfAKind(sku));
        var reservations = reservations();
        Reservation hold = reservations.reserve(List.of(new ReservedLine(sku, 1)));
        assertEquals(List.of(0, 1), stockAndHeld(sku));
        AdminProductView listed = service.list(OWNER).stream().filter(p -> p.sku().equals(sku)).findFirst().orElseThrow();
        assertEquals(List.of(1, 1, 0), List.of(listed.stock(), listed.held(), listed.available()));

        var refused = assertThrows(ConflictException.class, () -> service.adjustStock(OWNER, sku, 1));

        assertTrue(refused.getMessage().contains("held by an open checkout (1 held, 0 for sale)"), refused.getMessage());
        assertEquals(List.of(0, 1), stockAndHeld(sku), "nothing written");
        assertEquals(List.of("product.created"), trail.of("PRODUCT#" + sku).stream().map(AdminAction::action).toList());

        reservations.release(hold.id());
        reservations.release(hold.id());
        assertEquals(List.of(1, 0), stockAndHeld(sku), "back on sale once");
        var stillOne = assertThrows(ConflictException.class, () -> service.adjustStock(OWNER, sku, 1));
        assertTrue(stillOne.getMessage().contains("at most one piece for sale"), stillOne.getMessage());
    }

    /**
     * One owner marks a piece with one for sale one of a kind while another presses "+" on it (a
     * stock change leaves the version as it is): the mark's write is refused by its own condition,
     * not written on top of two pieces for sale, and writes no line.
     */
    @Test
    void aOneOfAKindMarkJudgedBeforeAPlusIsRefusedByTheWritesOwnCondition() {
        service.create(OWNER, draft(sku, 12000, 1));
        beforeTransaction = () -> service.adjustStock(OWNER, sku, 1);

        var refused = assertThrows(ConflictException.class, () -> service.update(OWNER, sku, 1,
                new ProductDraft(sku, "Piece", "Silver", Money.of(12000, "USD"), 0, List.of(), null, true)));

        assertTrue(refused.getMessage().contains("changed by someone else"), refused.getMessage());
        assertFalse(catalog.find(sku).orElseThrow().oneOfAKind(), "not marked on top of two pieces for sale");
        assertEquals(List.of(2, 0), stockAndHeld(sku));
        assertEquals(List.of("product.created", "product.stock_changed"),
                trail.of("PRODUCT#" + sku).stream().map(AdminAction::action).toList());
        assertEquals(List.of(), lines("product.updated"));
    }

    /**
     * The store's own condition counts {@code held}, not only the service's read: a "+" judged on
     * a read taken before the checkout held the piece (0 for sale, none held: the piece was sold and
     * given back meanwhile) is refused by DynamoDB itself, and writes no line.
     */
    @Test
    void aPlusJudgedBeforeTheHoldIsRefusedByTheWritesOwnCondition() {
        service.create(OWNER, oneOfAKind(sku));
        reservations().reserve(List.of(new ReservedLine(sku, 1)));
        var store = new DynamoProductAdminStore(aws.dynamo(), aws.physicalName("ProductsTable"), trail, Clock.systemUTC());

        assertFalse(store.adjustStock(sku, 0, 1, Product.MAX_STOCK, null, new AdminAction("PRODUCT#" + sku,
                java.time.Instant.now(), "sub-owner", "owner@localhost.test", "product.stock_changed",
                "{\"available\":0}", "{\"available\":1}", 0)));

        assertEquals(List.of(0, 1), stockAndHeld(sku));
        assertEquals(List.of("product.created"), trail.of("PRODUCT#" + sku).stream().map(AdminAction::action).toList());
    }

    /**
     * An item written before {@code held} was kept (and a hold made then) has no {@code held}: it
     * reads as 0, the owner's change is judged on it without error, and a one-of-a-kind "+" made
     * while that old hold was open is not doubled by its release (see DynamoReservationStoreTest).
     */
    @Test
    void anItemWithoutHeldReadsAsNoneHeldAndItsStockStillMoves() {
        service.create(OWNER, draft(sku, 12000, 3));
        assertFalse(item(sku).containsKey("held"), "a product no checkout has touched: " + item(sku));

        assertEquals(new StockLevel(sku, 4, 0, 4), service.adjustStock(OWNER, sku, 1));
        AdminProductView listed = service.list(OWNER).stream().filter(p -> p.sku().equals(sku)).findFirst().orElseThrow();
        assertEquals(0, listed.held());
        String unique = sku + "-U";
        service.create(OWNER, oneOfAKind(unique));
        service.adjustStock(OWNER, unique, -1);
        assertEquals(new StockLevel(unique, 1, 0, 1), service.adjustStock(OWNER, unique, 1),
                "0 → 1 without held: allowed, as before");
    }

    private static StockReservations reservations() {
        return new StockReservations(new DynamoReservationStore(aws.dynamo(), aws.physicalName("CheckoutsTable"),
                aws.physicalName("ProductsTable"), Clock.systemUTC()), Clock.systemUTC());
    }

    private static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item(String sku) {
        return aws.dynamo().getItem(b -> b.tableName(aws.physicalName("ProductsTable")).key(DynamoProductStore.key(sku))
                .consistentRead(true)).item();
    }

    /** The item's {@code stock} and {@code held} (0 when it has none). */
    private static List<Integer> stockAndHeld(String sku) {
        var item = item(sku);
        return List.of(Integer.parseInt(item.get("stock").n()), DynamoProductStore.held(item));
    }

    private static ProductDraft oneOfAKind(String sku) {
        return new ProductDraft(sku, "Piece", "Silver", Money.of(24000, "USD"), 1, List.of(), null, true);
    }

    /** What a checkout's reservation does to the count for sale: one piece less, in its own write. */
    private static void takeOnePiece(String sku) {
        aws.dynamo().updateItem(b -> b.tableName(aws.physicalName("ProductsTable")).key(DynamoProductStore.key(sku))
                .updateExpression("ADD stock :minus").expressionAttributeValues(Map.of(":minus",
                        DynamoItems.n(-1))));
    }

    private List<String> lines(String action) {
        return trail.of("PRODUCT#" + sku).stream().map(AdminAction::action).filter(action::equals).toList();
    }

    private static ProductDraft draft(String sku, long price, int stock) {
        return new ProductDraft(sku, "Piece", "Silver", Money.of(price, "USD"), stock, List.of(), null, false);
    }
}
