package shop.admincatalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The held count on reservations in the checkout's own layout (shop-commerce's DynamoReservationStore). */
@ExtendWith(LocalAwsExtension.class)
class DynamoHeldStockTest {
    /** Every DynamoDB operation the adapter sends, to prove the checkouts table is never scanned. */
    private static final List<String> operations = new CopyOnWriteArrayList<>();
    private static LocalAws aws;
    private static String table;
    private static DynamoHeldStock held;

    @BeforeAll
    static void connect(LocalAws localAws) {
        aws = localAws;
        table = aws.physicalName("CheckoutsTable");
        DynamoDbClient recording = aws.dynamo(operations::add);
        held = new DynamoHeldStock(recording, table, Clock.systemUTC());
    }

    @Test
    void countsTheLinesOfOpenLiveReservationsOnlyThroughTheIndexNeverAScan() {
        String run = UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String ring = "RING-" + run;
        String chain = "CHAIN-" + run;
        long later = Instant.now().plusSeconds(3600).getEpochSecond();
        reservation("OPEN", later, Map.of(ring, 2, chain, 1));
        reservation("OPEN", later, Map.of(ring, 1));
        // Sold, released, and open but past its time (TTL deletes it only eventually): nothing held.
        reservation("SOLD", later, Map.of(ring, 5));
        reservation("RELEASED", later, Map.of(chain, 5));
        reservation("OPEN", Instant.now().minusSeconds(60).getEpochSecond(), Map.of(ring, 7));
        // A client's list of open checkouts lives in the same table without a status.
        aws.dynamo().putItem(b -> b.tableName(table).item(Map.of("pk", s("HOLDS#ip:" + run),
                "open", AttributeValue.fromM(Map.of("res_" + run, n(4))), "version", n(1), "expiresAt", n(later))));
        operations.clear();

        Map<String, Integer> counted = held.heldBySku();

        assertEquals(3, counted.get(ring));
        assertEquals(1, counted.get(chain));
        assertTrue(operations.contains("Query"), operations.toString());
        assertFalse(operations.contains("Scan"), operations.toString());
    }

    private static void reservation(String status, long expiresAt, Map<String, Integer> lines) {
        List<AttributeValue> items = lines.entrySet().stream()
                .map(line -> AttributeValue.fromM(Map.of("sku", s(line.getKey()), "quantity", n(line.getValue()))))
                .toList();
        aws.dynamo().putItem(b -> b.tableName(table).item(Map.of(
                "pk", s("RESERVATION#" + UUID.randomUUID()), "status", s(status), "lines", AttributeValue.fromL(items),
                "createdAt", s(Instant.now().toString()), "expiresAt", n(expiresAt))));
    }
}
