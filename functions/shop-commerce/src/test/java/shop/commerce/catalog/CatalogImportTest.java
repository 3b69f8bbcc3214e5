package shop.commerce.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.Money;
import shop.commerce.reservations.DynamoReservationStore;
import shop.commerce.reservations.ReservedLine;
import shop.commerce.reservations.StockReservations;
import shop.commerce.testing.Samples;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;

/**
 * The catalog import with {@code --overwrite-stock} (README, "The catalog"; docs/back-office.md,
 * "Stock") against the stand-in products table, with checkouts holding pieces through the real
 * reservation store: the owner's count includes the pieces in open checkouts, so only the rest goes
 * on sale, and the output says per product what was held.
 */
@ExtendWith(LocalAwsExtension.class)
class CatalogImportTest {
    private static final Clock CLOCK = Clock.systemUTC();
    private static LocalAws aws;
    private static DynamoProductStore products;
    private static StockReservations checkouts;

    @BeforeAll
    static void stores(LocalAws localAws) {
        aws = localAws;
        products = new DynamoProductStore(aws.dynamo(), aws.physicalName("ProductsTable"), CLOCK);
        checkouts = new StockReservations(new DynamoReservationStore(aws.dynamo(), aws.physicalName("CheckoutsTable"),
                aws.physicalName("ProductsTable"), CLOCK), CLOCK);
    }

    @Test
    void anOverwritePutsOnSaleTheCountLessWhatOpenCheckoutsHoldAndSaysWhatWasHeld() {
        String sku = unique("COUNTED");
        products.save(Samples.product(sku, 9000, 5), false);
        String open = checkouts.reserve(List.of(new ReservedLine(sku, 2))).id();

        var report = CatalogImport.importAll(products, List.of(Samples.product(sku, 9000, 4)), true);

        assertEquals(List.of(sku + ": counted 4, 2 held in open checkouts, 2 for sale"), report.lines());
        assertEquals(List.of(2, 2), stockAndHeld(sku));
        checkouts.release(open);
        assertEquals(List.of(4, 0), stockAndHeld(sku), "the checkout's pieces back on the shelf: the count, not 6");
        assertEquals(List.of(), CatalogImport.importAll(products, List.of(Samples.product(sku, 9000, 9)), false).lines(),
                "an import that keeps the stock reads nothing and says nothing per product");
        assertEquals(List.of(4, 0), stockAndHeld(sku));
    }

    @Test
    void aOneOfAKindPieceCountedOnTheShelfWhileACheckoutHoldsItStaysOffSaleAndComesBackOnce() {
        String held = unique("UNIQUE");
        String free = unique("UNIQUE");
        products.save(oneOfAKind(held, 1), false);
        String open = checkouts.reserve(List.of(new ReservedLine(held, 1))).id();

        var report = CatalogImport.importAll(products, List.of(oneOfAKind(held, 1), oneOfAKind(free, 2)), true);

        assertEquals(List.of(held + ": counted 1, 1 held in open checkouts, 0 for sale",
                free + ": counted 2, 0 held in open checkouts, 1 for sale (one of a kind: for sale and held make 1 at most)"),
                report.lines());
        assertEquals(List.of(0, 1), stockAndHeld(held));
        assertEquals(List.of(1, 0), stockAndHeld(free));
        checkouts.release(open);
        assertEquals(List.of(1, 0), stockAndHeld(held), "one piece for sale, not two");
    }

    @Test
    void aCountBelowWhatOpenCheckoutsHoldPutsNothingOnSaleAndTellsTheOwnerToCheck() {
        String sku = unique("SHORT");
        products.save(Samples.product(sku, 9000, 3), false);
        checkouts.reserve(List.of(new ReservedLine(sku, 2)));

        var report = CatalogImport.importAll(products, List.of(Samples.product(sku, 9000, 1)), true);

        assertEquals(2, report.lines().size(), report.lines().toString());
        assertTrue(report.lines().get(0).startsWith(sku + ": counted 1, 2 held in open checkouts, 0 for sale. CHECK:"
                + " you counted fewer pieces than open checkouts hold (2)."), report.lines().get(0));
        assertEquals("1 product(s) counted below what open checkouts hold: see CHECK above.", report.lines().get(1));
        assertEquals(List.of(0, 2), stockAndHeld(sku), "held pieces stay the checkouts'");
    }

    @Test
    void aHoldBetweenTheImportsReadAndItsWriteIsCountedAgain() {
        String sku = unique("RACED");
        products.save(Samples.product(sku, 9000, 5), false);
        checkouts.reserve(List.of(new ReservedLine(sku, 1)));
        AtomicInteger writes = new AtomicInteger();
        var racing = new DynamoProductStore(aws.dynamo(operation -> {
            if (operation.equals("UpdateItem") && writes.getAndIncrement() == 0) {
                checkouts.reserve(List.of(new ReservedLine(sku, 1)));
            }
        }), aws.physicalName("ProductsTable"), CLOCK);

        var report = CatalogImport.importAll(racing, List.of(Samples.product(sku, 9000, 5)), true);

        assertEquals(2, writes.get(), "the write judged on one held piece is refused, the next one is not");
        assertEquals(List.of(sku + ": counted 5, 2 held in open checkouts, 3 for sale"), report.lines());
        assertEquals(List.of(3, 2), stockAndHeld(sku));
    }

    @Test
    void checkoutsMovingPiecesAtEveryTryLeaveThatProductUnwrittenAndReportedAndTheOthersWritten() {
        String busy = unique("BUSY");
        String calm = unique("CALM");
        products.save(Samples.product(busy, 9000, 20), false);
        var racing = new DynamoProductStore(aws.dynamo(operation -> {
            if (operation.equals("UpdateItem")) {
                checkouts.reserve(List.of(new ReservedLine(busy, 1)));
            }
        }), aws.physicalName("ProductsTable"), CLOCK);

        var report = CatalogImport.importAll(racing,
                List.of(Samples.product(busy, 12000, 20), Samples.product(calm, 9000, 2)), true);

        assertEquals(List.of(busy), report.notWritten());
        assertEquals(List.of(calm + ": counted 2, 0 held in open checkouts, 2 for sale",
                busy + ": NOT WRITTEN: open checkouts held or released pieces of it while its stock was written,"
                        + " every try; run the import again."), report.lines());
        assertEquals(9000, products.find(busy).orElseThrow().price().amount(), "nothing of it written");
        assertEquals(List.of(20 - DynamoProductStore.COUNT_TRIES - 1, DynamoProductStore.COUNT_TRIES + 1),
                stockAndHeld(busy), "only the checkouts moved its pieces");
        assertEquals(List.of(2, 0), stockAndHeld(calm));
    }

    /** The item's {@code stock} and {@code held}, as stored. */
    private static List<Integer> stockAndHeld(String sku) {
        Map<String, AttributeValue> item = aws.dynamo().getItem(b -> b.tableName(aws.physicalName("ProductsTable"))
                .key(DynamoProductStore.key(sku)).consistentRead(true)).item();
        return List.of(Integer.parseInt(item.get("stock").n()), DynamoProductStore.held(item));
    }

    private static Product oneOfAKind(String sku, int stock) {
        return new Product(sku, "Piece " + sku, "", Money.of(9000, "USD"), stock, List.of(), true, null, true);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }
}
