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
                new DynamoHeldStock(dynamo, aws.physicalName("CheckoutsTable"), clock), (key, type, size, lifetime) -> {
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
        STOCK("product.stock_changed", (s, sku) -> s.adjustStock(OWNER, sku, -2));

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
                case STOCK -> product.orElseThrow().stock() == 1;
            };
        }
    }

    static Stream<Arguments> stops() {
        // Up to five calls: the read, the held count, the transaction, the read after it; the last runs to the end.
        return Stream.of(Change.values()).flatMap(change -> IntStream.rangeClosed(1, 5)
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
