package shop.commerce.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.testing.Samples;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;

/** Pieces back on sale on the products table of the local stand-in. */
@ExtendWith(LocalAwsExtension.class)
class DynamoStockReturnsTest {
    private static DynamoProductStore products;
    private static DynamoStockReturns returns;

    @BeforeAll
    static void stores(LocalAws aws) {
        products = new DynamoProductStore(aws.dynamo(), aws.physicalName("ProductsTable"), Clock.systemUTC());
        returns = new DynamoStockReturns(aws.dynamo(), aws.physicalName("ProductsTable"));
    }

    @Test
    void aPieceGoesBackOnTopOfTheStockAndTheRestOfTheProductStaysAsItWas() {
        String sku = "RET-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        products.save(Samples.product(sku, 18500, 1), true);

        assertTrue(returns.giveBack(sku, 2));

        Product after = products.find(sku).orElseThrow();
        assertEquals(3, after.stock());
        assertEquals(18500, after.price().amount());
    }

    @Test
    void aDeletedProductIsNotCreatedAgainByItsReturnedPiece() {
        String sku = "GONE-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();

        assertFalse(returns.giveBack(sku, 1));

        assertTrue(products.find(sku).isEmpty());
    }
}
