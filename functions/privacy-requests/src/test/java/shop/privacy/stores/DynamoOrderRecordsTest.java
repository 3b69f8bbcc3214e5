package shop.privacy.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.orders.DynamoDeferredErasure;
import shop.commerce.orders.DynamoOrderStore;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.ShippingAddress;
import shop.commerce.testing.Samples;
import shop.core.dynamo.DynamoItems;
import shop.core.email.EmailAddress;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.privacy.Correction;
import shop.privacy.OrderData;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The orders adapter on orders written by shop-commerce's own DynamoOrderStore, in the local DynamoDB. */
@ExtendWith(LocalAwsExtension.class)
class DynamoOrderRecordsTest {
    private static LocalAws aws;
    private static String ordersTable;
    private static DynamoOrderStore orderStore;
    private static DynamoOrderRecords records;
    private static DynamoDbClient recording;
    private static final List<String> operations = new CopyOnWriteArrayList<>();

    private String person;
    private String paid;
    private String pending;
    private String shipped;
    private String someoneElses;

    @BeforeAll
    static void connect(LocalAws localAws) {
        aws = localAws;
        ordersTable = aws.physicalName("OrdersTable");
        orderStore = new DynamoOrderStore(aws.dynamo(), ordersTable, Clock.systemUTC(), Samples.HASHER);
        // Through a client that notes every DynamoDB operation it sends, to prove the orders are never scanned.
        recording = aws.dynamo(operations::add);
        records = new DynamoOrderRecords(recording, ordersTable, aws.physicalName("CheckoutsTable"), Samples.HASHER,
                Clock.systemUTC());
    }

    @BeforeEach
    void orders() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        person = "ada-" + run + "@example.com";
        paid = create(OrderStatus.PAID, "Ada-" + run + "@Example.com", "Ada Lovelace");
        pending = create(OrderStatus.PENDING_PAYMENT, person, "Ada Lovelace");
        shipped = create(OrderStatus.PAID, person, "Ada Lovelace");
        assertTrue(orderStore.transition(shipped, Set.of(OrderStatus.PAID), OrderStatus.SHIPPED, Instant.now(),
                Instant.now().getEpochSecond() + 3600));
        someoneElses = create(OrderStatus.PAID, "grace-" + run + "@example.com", "Grace Hopper");
        aws.dynamo().putItem(b -> b.tableName(ordersTable).item(Map.of(
                "pk", DynamoItems.s("MAIL#" + paid + "#CUSTOMER_CONFIRMATION"), "status", DynamoItems.s("SENT"),
                "orderId", DynamoItems.s(paid))));
        operations.clear();
    }

    @Test
    void findsThePersonsOrdersUnderEverySpellingWithTheirMailRecords() {
        OrderData data = records.find(new EmailAddress(person));

        assertEquals(Set.of("ORDER#" + paid, "ORDER#" + pending, "ORDER#" + shipped),
                Set.copyOf(data.orders().stream().map(o -> (String) o.get("pk")).toList()));
        assertEquals(List.of("MAIL#" + paid + "#CUSTOMER_CONFIRMATION"), data.orderMails().stream().map(m -> m.get("pk")).toList());
        assertTrue(data.emailSpellings().contains(person.replace("ada-", "Ada-").replace("example", "Example")));
        assertEquals(18500L, data.orders().get(0).get("amountTotal"));
    }

    @Test
    void findsAnonymisesAndCorrectsWithQueriesOnlyNeverAScan() {
        var address = new EmailAddress(person);

        assertEquals(3, records.find(address).orders().size());
        records.correct(address, new Correction(Optional.of("Ada King"), Optional.empty()), Instant.now());
        records.anonymise(address, Instant.now());

        assertTrue(operations.contains("Query"), operations.toString());
        assertEquals(Set.of("Query", "GetItem", "UpdateItem"), Set.copyOf(operations), operations.toString());
        assertEquals(List.of(), records.find(address).orders(), "an erased order leaves the index by email hash");
    }

    @Test
    void anOrderWrittenBeforeTheIndexIsNotFoundUntilBackfilled() {
        aws.dynamo().updateItem(b -> b.tableName(ordersTable).key(DynamoItems.key("ORDER#" + pending))
                .updateExpression("REMOVE emailHash"));

        assertEquals(2, records.find(new EmailAddress(person)).orders().size());
    }

    @Test
    void anonymisingKeepsWhatTaxLawNeedsAndNothingThatNamesThePerson() {
        var erased = records.anonymise(new EmailAddress(person), Instant.parse("2026-11-30T10:00:00Z"));

        assertEquals(Set.of(paid, pending, shipped), Set.copyOf(erased.orders()));
        assertEquals(List.of(paid), erased.keptToShip(), "only the paid order still to ship keeps name and address");
        for (String whole : List.of(pending, shipped)) {
            Map<String, AttributeValue> item = item(whole);
            assertFalse(item.containsKey("customerEmail"));
            assertFalse(item.containsKey("customerName"));
            assertFalse(item.containsKey("emailHash"), "the keyed hash links the order to the person too");
            assertFalse(item.containsKey(DynamoDeferredErasure.MARKER));
            assertEquals(Map.of("country", AttributeValue.fromS("US")), item.get("shipping").m());
            assertEquals(Map.of("country", AttributeValue.fromS("US")), item.get("billing").m());
            assertEquals("US", item.get("country").s());
            assertEquals("18500", item.get("amountTotal").n());
            assertEquals("RING-ARIA", item.get("items").l().get(0).m().get("sku").s());
            assertEquals("2026-11-25T10:00:00Z", item.get("createdAt").s());
            assertEquals("2026-11-30T10:00:00Z", item.get("erasedAt").s());
            String text = item.toString().toLowerCase();
            assertFalse(text.contains(person) || text.contains("lovelace") || text.contains("harbor"), text);
        }
        assertEquals("Grace Hopper", item(someoneElses).get("customerName").s());

        Order stillReadable = orderStore.find(pending).orElseThrow();
        assertNull(stillReadable.customerEmail());
        assertEquals(18500, stillReadable.totals().total().amount());
    }

    /**
     * An erasure leaves an open dispute as it is (it is still open at Stripe, and the owner still has
     * to answer it): the order stays in the back office's open disputes, by the same deadline, without
     * the name; the dispute's closing then takes it out as for any order.
     */
    @Test
    void anErasedOrderWithAnOpenDisputeStaysListedWithoutTheNameUntilTheDisputeCloses() {
        var accounts = new shop.commerce.orders.DynamoOrderAccounts(aws.dynamo(), ordersTable, Clock.systemUTC());
        Instant opened = Instant.parse("2026-11-28T10:00:00Z");
        Instant due = Instant.parse("2026-12-06T23:59:59Z");
        accounts.recordDispute(accounts.find(shipped).orElseThrow(), shop.commerce.orders.Dispute.of("du_e" + shipped,
                "fraudulent", "needs_response", 18500, "usd", due, opened, opened), opened);
        Map<String, AttributeValue> before = openDispute(shipped).orElseThrow();
        assertEquals("Ada Lovelace", before.get("customerName").s());

        records.anonymise(new EmailAddress(person), Instant.parse("2026-11-30T10:00:00Z"));

        Map<String, AttributeValue> listed = openDispute(shipped).orElseThrow();
        assertEquals(before.get("disputeDueBy"), listed.get("disputeDueBy"));
        assertEquals(before.get("dispute"), listed.get("dispute"));
        assertFalse(listed.containsKey("customerName"), listed.toString());
        assertEquals("OPEN", item(shipped).get("disputeOpen").s());

        accounts.recordDispute(accounts.find(shipped).orElseThrow(), shop.commerce.orders.Dispute.of("du_e" + shipped,
                "fraudulent", "won", 18500, "usd", null, opened, Instant.now()), Instant.now());
        assertTrue(openDispute(shipped).isEmpty());
        assertFalse(item(shipped).containsKey("disputeOpen"));
    }

    /** The order's line in the open-disputes index, as the back office's list reads it. */
    private static Optional<Map<String, AttributeValue>> openDispute(String id) {
        List<Map<String, AttributeValue>> items = new java.util.ArrayList<>();
        aws.dynamo().queryPaginator(b -> b.tableName(ordersTable).indexName(shop.commerce.orders.OrderIndexes.BY_OPEN_DISPUTE)
                        .keyConditionExpression("disputeOpen = :open")
                        .expressionAttributeValues(Map.of(":open", AttributeValue.fromS("OPEN"))))
                .items().forEach(items::add);
        return items.stream().filter(i -> i.get("pk").s().equals("ORDER#" + id)).findFirst();
    }

    @Test
    void aPaidOrderStillToShipKeepsNameAndShippingAddressUntilItShips() {
        records.anonymise(new EmailAddress(person), Instant.parse("2026-11-30T10:00:00Z"));

        Map<String, AttributeValue> item = item(paid);
        assertFalse(item.containsKey("customerEmail"));
        assertFalse(item.containsKey("emailHash"), "the keyed hash links the order to the person too");
        assertEquals(Map.of("country", AttributeValue.fromS("US")), item.get("billing").m());
        assertFalse(item.toString().toLowerCase().contains(person), item.toString());
        assertEquals("2026-11-30T10:00:00Z", item.get("erasedAt").s());
        assertEquals("2026-11-30T10:00:00Z", item.get(DynamoDeferredErasure.MARKER).s());
        Order toShip = orderStore.find(paid).orElseThrow();
        assertEquals("Ada Lovelace", toShip.customerName());
        assertEquals("Ada Lovelace", toShip.shipping().name());
        assertEquals("12 Harbor Road", toShip.shipping().line1());
        assertEquals(OrderStatus.PAID, toShip.status());
        assertTrue(DynamoDeferredErasure.finish(aws.dynamo(), ordersTable, paid).isEmpty(), "still to ship: nothing to finish");
        assertEquals("Ada Lovelace", item(paid).get("customerName").s());

        assertTrue(orderStore.transition(paid, Set.of(OrderStatus.PAID), OrderStatus.SHIPPED, Instant.now(),
                Instant.now().getEpochSecond() + 3600));
        assertTrue(DynamoDeferredErasure.finish(aws.dynamo(), ordersTable, paid).isPresent());

        Map<String, AttributeValue> shippedNow = item(paid);
        assertFalse(shippedNow.containsKey("customerName"));
        assertFalse(shippedNow.containsKey(DynamoDeferredErasure.MARKER));
        assertEquals(Map.of("country", AttributeValue.fromS("US")), shippedNow.get("shipping").m());
        String text = shippedNow.toString().toLowerCase();
        assertFalse(text.contains("ada") || text.contains("lovelace") || text.contains("harbor"), text);
        assertTrue(DynamoDeferredErasure.finish(aws.dynamo(), ordersTable, paid).isEmpty(), "done once: nothing more to finish");
    }

    @Test
    void aPaidOrderShippedBetweenTheReadAndTheWriteIsErasedWhole() {
        var shippedFirst = new java.util.concurrent.atomic.AtomicBoolean();
        var racing = new DynamoOrderRecords(aws.dynamo(operation -> {
            if (operation.equals("UpdateItem") && shippedFirst.compareAndSet(false, true)) {
                orderStore.transition(paid, Set.of(OrderStatus.PAID), OrderStatus.SHIPPED, Instant.now(),
                        Instant.now().getEpochSecond() + 3600);
            }
        }), ordersTable, aws.physicalName("CheckoutsTable"), Samples.HASHER, Clock.systemUTC());

        var erased = racing.anonymise(new EmailAddress(person), Instant.now());

        assertTrue(shippedFirst.get());
        assertEquals(Set.of(paid, pending, shipped), Set.copyOf(erased.orders()));
        assertEquals(List.of(), erased.keptToShip());
        Map<String, AttributeValue> item = item(paid);
        assertEquals("SHIPPED", item.get("status").s());
        assertFalse(item.containsKey("customerName"));
        assertFalse(item.containsKey(DynamoDeferredErasure.MARKER));
        assertEquals(Map.of("country", AttributeValue.fromS("US")), item.get("shipping").m());
    }

    @Test
    void aPendingOrderPaidBetweenTheReadAndTheWriteKeepsWhatShippingNeeds() {
        var paidFirst = new java.util.concurrent.atomic.AtomicBoolean();
        var racing = new DynamoOrderRecords(aws.dynamo(operation -> {
            if (operation.equals("UpdateItem") && paidFirst.compareAndSet(false, true)) {
                orderStore.transition(pending, Set.of(OrderStatus.PENDING_PAYMENT), OrderStatus.PAID, Instant.now(),
                        Instant.now().getEpochSecond() + 3600);
            }
        }), ordersTable, aws.physicalName("CheckoutsTable"), Samples.HASHER, Clock.systemUTC());

        var erased = racing.anonymise(new EmailAddress(person), Instant.now());

        assertTrue(paidFirst.get());
        assertEquals(Set.of(paid, pending), Set.copyOf(erased.keptToShip()));
        assertEquals("12 Harbor Road", orderStore.find(pending).orElseThrow().shipping().line1());
        assertFalse(item(pending).containsKey("customerEmail"));
    }

    @Test
    void correctionReachesOnlyOrdersThatHaveNotShipped() {
        var correction = new Correction(Optional.of("Ada King"), Optional.of(
                new ShippingAddress("3 St James's Square", null, "SW1Y 4JU", "London", null, "GB")));

        List<String> corrected = records.correct(new EmailAddress(person), correction, Instant.now());

        assertEquals(Set.of(paid, pending), Set.copyOf(corrected));
        Order order = orderStore.find(paid).orElseThrow();
        assertEquals("Ada King", order.customerName());
        assertEquals("Ada King", order.shipping().name());
        assertEquals("London", order.shipping().city());
        assertEquals("GB", order.country());
        Order stillAsShipped = orderStore.find(shipped).orElseThrow();
        assertEquals(OrderStatus.SHIPPED, stillAsShipped.status());
        assertEquals("Ada Lovelace", stillAsShipped.customerName());
        assertEquals("12 Harbor Road", stillAsShipped.shipping().line1());
        assertEquals("US", stillAsShipped.country());
    }

    /** The customer moved their account to a new address: their orders follow it, marked as changed by the customer. */
    @Test
    void anAccountsNewAddressTakesThePersonsOrdersAlongSayingTheCustomerChangedIt() {
        String moved = "ada-moved-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Instant at = Instant.parse("2026-12-06T09:00:00Z");

        List<String> changed = records.changeEmail(new EmailAddress(person), new EmailAddress(moved), at);

        assertEquals(Set.of(paid, pending, shipped), Set.copyOf(changed));
        var item = item(paid);
        assertEquals(moved, item.get("customerEmail").s());
        assertEquals(at.toString(), item.get("emailChangedAt").s());
        assertEquals("customer", item.get("emailChangedBy").s(), "the record says who changed it last");
        assertEquals(List.of(), records.find(new EmailAddress(person)).orders());
        assertEquals(3, records.find(new EmailAddress(moved)).orders().size());
    }

    @Test
    void aNameOnlyCorrectionKeepsTheShippingAddress() {
        records.correct(new EmailAddress(person), new Correction(Optional.of("Ada King"), Optional.empty()), Instant.now());

        Order order = orderStore.find(pending).orElseThrow();
        assertEquals("Ada King", order.shipping().name());
        assertEquals("12 Harbor Road", order.shipping().line1());
    }

    private static String create(OrderStatus status, String email, String name) {
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        orderStore.create(Samples.order(id, status, email, name), Instant.now().getEpochSecond() + 3600);
        return id;
    }

    private static Map<String, AttributeValue> item(String orderId) {
        return aws.dynamo().getItem(b -> b.tableName(ordersTable).key(DynamoItems.key("ORDER#" + orderId))).item();
    }
}
