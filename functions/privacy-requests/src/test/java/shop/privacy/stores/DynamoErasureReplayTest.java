package shop.privacy.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.orders.DynamoDeferredErasure;
import shop.commerce.orders.DynamoOrderStore;
import shop.commerce.orders.OrderStatus;
import shop.commerce.testing.Samples;
import shop.core.dynamo.DynamoItems;
import shop.core.email.EmailAddress;
import shop.privacy.AuditEntry;
import shop.privacy.PrivacyRequest;
import shop.privacy.RequestStatus;
import shop.privacy.RequestType;
import shop.privacy.Store;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 13, finding 10: a point-in-time restore brings back data erased since the restore point;
 * the runbook's command erases it again from the privacy audit trail. The restore is simulated
 * on the local stand-ins by putting the items back as they were at the restore point.
 */
@ExtendWith(LocalAwsExtension.class)
class DynamoErasureReplayTest {
    private static LocalAws aws;
    private static String subscribers;
    private static String orders;
    private static DynamoOrderStore orderStore;
    private static DynamoRequestStore requests;
    private static DynamoSubscriberRecords subscriberRecords;
    private static DynamoOrderRecords orderRecords;
    private static DynamoErasureReplay command;

    @BeforeAll
    static void connect(LocalAws localAws) {
        aws = localAws;
        subscribers = aws.physicalName("SubscribersTable");
        orders = aws.physicalName("OrdersTable");
        Clock clock = Clock.systemUTC();
        orderStore = new DynamoOrderStore(aws.dynamo(), orders, clock, Samples.HASHER);
        requests = new DynamoRequestStore(aws.dynamo(), aws.physicalName("PrivacyRequestsTable"), clock);
        subscriberRecords = new DynamoSubscriberRecords(aws.dynamo(), subscribers, clock);
        orderRecords = new DynamoOrderRecords(aws.dynamo(), orders, aws.physicalName("CheckoutsTable"), Samples.HASHER, clock);
        command = new DynamoErasureReplay(aws.dynamo(), aws.physicalName("PrivacyRequestsTable"), subscribers, orders,
                aws.physicalName("CheckoutsTable"), Samples.HASHER, clock);
    }

    @Test
    void erasuresCompletedAfterTheRestorePointAreAppliedAgainAndEarlierOnesLeftAlone() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String ada = "ada-" + run + "@example.com";
        String bob = "bob-" + run + "@example.com";
        String adaHash = Samples.HASHER.hash(new EmailAddress(ada));
        String bobHash = Samples.HASHER.hash(new EmailAddress(bob));

        // Bob was erased before the restore point, then subscribed again: the backup has him subscribed.
        erase(bob, bobHash);
        subscribe(bobHash, bob);
        Thread.sleep(5);
        Instant restorePoint = Instant.now();
        Thread.sleep(5);

        // The backup (restore point) holds Ada's subscription and her order.
        subscribe(adaHash, ada);
        String order = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        orderStore.create(Samples.order(order, OrderStatus.SHIPPED, ada, "Ada Lovelace"), Instant.now().getEpochSecond() + 3600);
        // And one paid and still to ship: an erasure keeps its name and shipping address until it ships.
        String toShip = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        orderStore.create(Samples.order(toShip, OrderStatus.PAID, ada, "Ada Lovelace"), Instant.now().getEpochSecond() + 3600);
        var backup = List.of(item(subscribers, "SUBSCRIBER#" + adaHash), item(orders, "ORDER#" + order),
                item(subscribers, "SUBSCRIBER#" + bobHash), item(orders, "ORDER#" + toShip));
        Thread.sleep(5);

        // After the restore point, Ada is erased, and the erasure is in the audit trail.
        erase(ada, adaHash);
        assertFalse(item(orders, "ORDER#" + order).containsKey("customerEmail"));

        // A mistaken delete; point-in-time restore to before the erasure brings her data back.
        restore(subscribers, backup.get(0));
        restore(orders, backup.get(1));
        restore(orders, backup.get(3));
        aws.dynamo().deleteItem(b -> b.tableName(subscribers).key(DynamoItems.key("SUPPRESSION#" + adaHash)));
        assertEquals(ada, item(orders, "ORDER#" + order).get("customerEmail").s(), "the restore brought the address back");

        var result = command.run(restorePoint);

        assertEquals(1, result.erasures().size(), result.toString());
        assertEquals(adaHash, result.erasures().get(0).addressHash());
        assertEquals(2, result.ordersAnonymised());
        assertEquals(1, result.ordersKeepingShippingUntilShipped());
        assertTrue(item(subscribers, "SUBSCRIBER#" + adaHash).isEmpty(), "Ada's subscription is erased again");
        assertEquals("erasure", item(subscribers, "SUPPRESSION#" + adaHash).get("reason").s());
        var erasedOrder = item(orders, "ORDER#" + order);
        for (String personal : List.of("customerEmail", "customerName", "emailHash")) {
            assertFalse(erasedOrder.containsKey(personal), personal + " is back after re-applying");
        }
        assertEquals(18500L, Long.parseLong(erasedOrder.get("amountTotal").n()), "what tax law needs stays");
        var stillToShip = item(orders, "ORDER#" + toShip);
        for (String personal : List.of("customerEmail", "emailHash")) {
            assertFalse(stillToShip.containsKey(personal), personal + " is back after re-applying");
        }
        assertEquals("Ada Lovelace", stillToShip.get("customerName").s(), "the order still to ship keeps what shipping needs");
        assertEquals("12 Harbor Road", stillToShip.get("shipping").m().get("line1").s());
        assertTrue(stillToShip.containsKey(DynamoDeferredErasure.MARKER));
        assertEquals(bob, item(subscribers, "SUBSCRIBER#" + bobHash).get("email").s(),
                "an erasure before the restore point is in the restored data already; Bob's new signup stands");

        assertEquals(0, command.run(restorePoint).ordersAnonymised(), "running it again changes nothing more");
    }

    /** An erasure as the privacy function completes it: the stores' own erase, then the request closed. */
    private static void erase(String email, String hash) {
        Instant now = Instant.now();
        subscriberRecords.erase(hash, now);
        orderRecords.anonymise(new EmailAddress(email), now);
        var request = PrivacyRequest.received(UUID.randomUUID().toString(), RequestType.DELETE, hash,
                new EmailAddress(email), Optional.empty(), "form", now);
        requests.create(request, AuditEntry.of(now, "received", "test", Store.PRIVACY_REQUESTS), null);
        assertTrue(requests.close(request.id(), RequestStatus.RECEIVED, RequestStatus.COMPLETED, Instant.now()));
    }

    private static void subscribe(String hash, String email) {
        aws.dynamo().putItem(b -> b.tableName(subscribers).item(Map.of("pk", s("SUBSCRIBER#" + hash), "email", s(email),
                "status", s("CONFIRMED"))));
    }

    private static Map<String, AttributeValue> item(String table, String pk) {
        var item = aws.dynamo().getItem(b -> b.tableName(table).key(DynamoItems.key(pk)).consistentRead(true)).item();
        return item == null ? Map.of() : item;
    }

    private static void restore(String table, Map<String, AttributeValue> item) {
        aws.dynamo().putItem(b -> b.tableName(table).item(item));
    }
}
