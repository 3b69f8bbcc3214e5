package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderStatus;
import shop.local.stack.LocalAws;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A person confirms the erasure of their address while a purchase with that address is being
 * paid: the verify POST and the payment (pay page → signed webhook → order) race in parallel
 * threads, several rounds. README "Privacy requests" states the outcome: an order recorded
 * before the erasure's pass over the orders is anonymised, all but the name and shipping address
 * it is still to be shipped with (a paid order, not shipped yet, keeps those until it ships or is
 * refunded in full); one recorded after it is a new purchase and keeps its data. Either way
 * nothing answers 5xx, the piece is sold exactly once, and the erasure's own record says which it
 * was.
 */
@ExtendWith(RunningShopExtension.class)
@ShopEnvironment(freshSourceIpLimits = true, instances = 4) // the erasure and the purchase really race
class ErasureRacesPurchaseEndToEndTest {
    private static final int ROUNDS = 4;
    @ShopFixture private static LocalAws aws;
    @ShopFixture private static RunningShop running;
    @ShopFixture private static ShopClient shop;
    @ShopFixture private static PrivacyClient person;

    @Test
    void anErasureConfirmedWhileThePaymentLandsLeavesTheOrderAnonymisedButForShippingOrWholeAsANewPurchase()
            throws Exception {
        int anonymised = 0;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                anonymised += race(pool) ? 1 : 0;
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("erasure vs purchase: %d of %d orders anonymised, %d recorded after the erasure%n",
                anonymised, ROUNDS, ROUNDS - anonymised);
    }

    /** One round; true when the order ended anonymised. */
    private static boolean race(ExecutorService pool) throws Exception {
        String email = "racer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String name = "Racer " + UUID.randomUUID().toString().substring(0, 8);
        String sku = shop.piece(1);
        assertEquals(202, person.request(email, "delete").statusCode());
        String link = person.verificationLink(email);
        String sessionId = shop.startCheckout(sku, email);

        CountDownLatch go = new CountDownLatch(1);
        Future<HttpResponse<String>> erasure = pool.submit(when(go, () -> person.confirm(link)));
        Future<HttpResponse<String>> payment = pool.submit(when(go, () -> shop.payByCard(sessionId, name)));
        go.countDown();
        assertEquals(200, erasure.get().statusCode(), erasure.get().body());
        assertEquals(303, payment.get().statusCode(), payment.get().body());

        Order order = shop.order(sessionId);
        assertEquals(OrderStatus.PAID, order.status());
        assertEquals(0, shop.products().find(sku).orElseThrow().stock(), "sold once, not given back");
        assertEquals("sold_out", shop.availability(sku));
        shop.awaitQueueDrained();
        assertEquals(1, shop.mailsTo(ShopClient.OWNER, order.number()).size(), "the owner hears of the sale once");

        Map<String, AttributeValue> request = person.newestRequestOf(PrivacyClient.hashOf(email));
        assertEquals("COMPLETED", request.get("status").s());
        boolean erasureTouchedOrders = carriedOut(request).contains("OrdersTable");
        if (order.customerEmail() == null) {
            assertTrue(erasureTouchedOrders, "the erasure's trail names the orders it anonymised");
            // Paid and not shipped: all but what shipping needs is gone, never less, never in another part.
            assertEquals(name, order.customerName(), "the name the parcel is addressed to stays until it ships");
            assertEquals("12 Harbor Road", order.shipping().line1());
            assertEquals(name, order.shipping().name());
            assertNull(order.billing() == null ? null : order.billing().line1(), "the billing address goes");
            assertEquals("US", order.country(), "the country stays for tax");
            assertEquals(Set.of(), person.storesHolding(email), "no store holds the address");
            assertEquals(Set.of("OrdersTable"), person.storesHolding(name), "only the order to ship holds the name");
            assertTrue(carriedOutDetail(request).contains("ordersKeepingShippingUntilShipped=1"), carriedOutDetail(request));
            assertTrue(shop.mailsTo(email, order.number()).size() <= 1, "at most the confirmation sent before");
            return true;
        }
        // Recorded after the erasure's pass: a new purchase, kept whole to be shipped and for tax.
        assertTrue(!erasureTouchedOrders, "an erasure that anonymised nothing says so");
        assertEquals(email, order.customerEmail());
        assertEquals(name, order.customerName());
        assertEquals("12 Harbor Road", order.shipping().line1());
        assertEquals(Set.of("OrdersTable"), person.storesHolding(email), "only the new order holds the address");
        ShopClient.await("the confirmation", () -> shop.mailsTo(email, order.number()).size() == 1);
        return false;
    }

    private static <T> Callable<T> when(CountDownLatch go, Callable<T> task) {
        return () -> {
            go.await();
            return task.call();
        };
    }

    private static String carriedOutDetail(Map<String, AttributeValue> request) {
        return request.get("audit").l().stream().map(AttributeValue::m)
                .filter(entry -> entry.get("event").s().equals("carried_out")).findFirst().orElseThrow()
                .get("detail").s();
    }

    private static List<String> carriedOut(Map<String, AttributeValue> request) {
        return request.get("audit").l().stream().map(AttributeValue::m)
                .filter(entry -> entry.get("event").s().equals("carried_out")).findFirst().orElseThrow()
                .get("stores").l().stream().map(AttributeValue::s).toList();
    }
}
