package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.orders.OrderStatus;
import shop.local.stack.LocalAws;
import shop.local.stack.StripeStandIn;

/**
 * Per-client limits on checkouts (issue 13, finding 1) through the local API server: each
 * client sends from a loopback address of its own ({@link LoopbackClient}), as customers reach
 * API Gateway from theirs.
 */
@ExtendWith(RunningShopExtension.class)
class CheckoutLimitsEndToEndTest {
    /** The checkout's session lifetime: the longest a refused client is asked to wait for a hold to end. */
    private static final long SESSION_SECONDS = 31 * 60;

    @ShopFixture private static RunningShop running;
    @ShopFixture private static ShopClient shop;
    @ShopFixture private static LocalAws aws;

    @Test
    void aHoardingLoopGets429AndKeepsAPieceFromARealBuyerNoLongerThanItsSessions() throws Exception {
        List<String> pieces = List.of(shop.piece(1), shop.piece(1), shop.piece(1), shop.piece(1));
        String hoarder = LoopbackClient.newAddress();
        List<String> held = new ArrayList<>();
        List<HttpResponse<String>> refused = new ArrayList<>();
        // A script checking out every piece of the shop again and again, with a new address each time.
        for (int round = 0; round < 3; round++) {
            for (String sku : pieces) {
                HttpResponse<String> answer = shop.checkoutFrom(hoarder, sku, 1, ShopClient.email());
                if (answer.statusCode() == 201) {
                    held.add(ShopClient.json(answer).get("id").asText());
                } else {
                    refused.add(answer);
                }
            }
        }

        assertEquals(2, held.size(), "two open checkouts per client");
        assertEquals(10, refused.size());
        int tooMany = 0;
        for (HttpResponse<String> answer : refused) {
            assertEquals("application/problem+json", answer.headers().firstValue("content-type").orElse(""));
            if (answer.statusCode() == 429) {
                tooMany++;
                // The oldest of its checkouts ends with its session at the latest.
                assertEquals(String.valueOf(SESSION_SECONDS), answer.headers().firstValue("retry-after").orElseThrow());
            } else {
                assertEquals(409, answer.statusCode(), "only the pieces it holds itself are sold out: " + answer.body());
            }
        }
        assertEquals(6, tooMany, "every other piece, every round");
        assertEquals("in_stock", shop.availability(pieces.get(2)), "the rest of the shop stays on sale");
        assertEquals("in_stock", shop.availability(pieces.get(3)));

        // A real buyer, from an address of their own, buys a piece the script could not hold...
        String buyer = LoopbackClient.newAddress();
        String buyerEmail = ShopClient.email();
        assertEquals(201, shop.checkoutFrom(buyer, pieces.get(3), 1, buyerEmail).statusCode());
        // ...and the ones it holds once their sessions end (31 minutes at Stripe, unpaid).
        assertEquals(409, shop.checkoutFrom(buyer, pieces.get(0), 1, buyerEmail).statusCode());
        for (String session : held) {
            assertEquals(200, shop.webhook(aws.stripe().expire(session)).statusCode());
        }
        HttpResponse<String> bought = shop.checkoutFrom(buyer, pieces.get(0), 1, buyerEmail);
        assertEquals(201, bought.statusCode(), bought.body());
        String session = ShopClient.json(bought).get("id").asText();
        assertEquals(303, shop.payByCard(session).statusCode());
        ShopClient.await("the buyer's order", () -> shop.orders().find(session)
                .map(order -> order.status() == OrderStatus.PAID).orElse(false));

        // The script takes two pieces again, and then its hour is used up (10 checkouts started):
        // 429 even once those two have ended.
        List<String> again = new ArrayList<>();
        for (String sku : List.of(pieces.get(1), pieces.get(2))) {
            HttpResponse<String> answer = shop.checkoutFrom(hoarder, sku, 1, ShopClient.email());
            assertEquals(201, answer.statusCode(), answer.body());
            again.add(ShopClient.json(answer).get("id").asText());
        }
        for (String ended : again) {
            assertEquals(200, shop.webhook(aws.stripe().expire(ended)).statusCode());
        }
        HttpResponse<String> hourUsedUp = shop.checkoutFrom(hoarder, pieces.get(1), 1, ShopClient.email());
        assertEquals(429, hourUsedUp.statusCode(), hourUsedUp.body());
        long retryAfter = Long.parseLong(hourUsedUp.headers().firstValue("retry-after").orElseThrow());
        assertTrue(retryAfter > 0 && retryAfter <= 3600, "until the hour turns: " + retryAfter);
        assertEquals("in_stock", shop.availability(pieces.get(1)));
    }

    @Test
    void aCustomerWhoLeavesThePaymentPageComesBackAndBuysThreeTimesNeverMeetsALimit() throws Exception {
        String customer = LoopbackClient.newAddress();
        String email = ShopClient.email();
        // Leaves the payment page without paying (the session stays open), then buys something else.
        assertEquals(201, shop.checkoutFrom(customer, shop.piece(1), 1, email).statusCode());
        for (int purchase = 0; purchase < 3; purchase++) {
            HttpResponse<String> created = shop.checkoutFrom(customer, shop.piece(3), 2, email);
            assertEquals(201, created.statusCode(), created.body());
            String session = ShopClient.json(created).get("id").asText();
            assertEquals(303, shop.payByCard(session).statusCode());
            ShopClient.await("order " + session, () -> shop.orders().find(session)
                    .map(order -> order.status() == OrderStatus.PAID).orElse(false));
        }
    }

    /**
     * Nobody proves the address a checkout names: someone who knows a customer's address names it
     * in two checkouts from IPs of their own. The customer's own checkout, from their own IP,
     * still starts: the address's oldest checkout is ended at Stripe and its piece is back on
     * sale, and Stripe's expiry event then gives back nothing more. However often the address is
     * named, from however many IPs, it never holds more than two checkouts at once.
     */
    @Test
    void anAddressSomeoneElseNamesInTwoCheckoutsStillChecksOutItsOwnerAndNeverHoldsMoreThanTwo() throws Exception {
        String victim = ShopClient.email();
        String attacker = LoopbackClient.newAddress();
        String firstPiece = shop.piece(1);
        String oldest = created(shop.checkoutFrom(attacker, firstPiece, 1, victim));
        String next = created(shop.checkoutFrom(attacker, shop.piece(1), 1, victim));
        assertEquals("sold_out", shop.availability(firstPiece), "held by the attacker's checkout");

        HttpResponse<String> own = shop.checkoutFrom(LoopbackClient.newAddress(), shop.piece(3), 1, victim);

        assertEquals(201, own.statusCode(), own.body());
        assertEquals("expired", stripeStatus(oldest), "the oldest payment page can no longer be paid");
        assertEquals("open", stripeStatus(next));
        assertEquals("in_stock", shop.availability(firstPiece), "its piece is back on sale");
        assertEquals(List.of(new StripeStandIn.ExpireRequest(oldest, "supersede-" + reservationOf(oldest))),
                aws.stripe().expiredByApi().stream().filter(r -> r.sessionId().equals(oldest)).toList());
        // Stripe's checkout.session.expired (sent by the stand-in, and once more here) gives back nothing more.
        Thread.sleep(300);
        assertEquals(200, shop.webhook(aws.stripe().event("checkout.session.expired",
                Map.of("id", oldest, "object", "checkout.session"))).statusCode());
        assertEquals(1, shop.products().find(firstPiece).orElseThrow().stock());

        // A hoarder reusing the address from IP after IP: each checkout ends the oldest, two stay open.
        List<String> named = new ArrayList<>(List.of(oldest, next, created(own)));
        for (int round = 0; round < 4; round++) {
            named.add(created(shop.checkoutFrom(LoopbackClient.newAddress(), shop.piece(1), 1, victim)));
            List<String> open = new ArrayList<>();
            for (String session : named) {
                if (stripeStatus(session).equals("open")) {
                    open.add(session);
                }
            }
            assertEquals(named.subList(named.size() - 2, named.size()), open, "round " + round);
        }
    }

    /**
     * The address's oldest checkout was paid on Stripe's page just before (its webhook not yet
     * arrived): Stripe will not expire a complete session, so it is neither ended nor released,
     * the next one is not ended for nothing, and the new checkout is told to wait. Once the
     * payment's webhook has sold it, the address's next checkout fits.
     */
    @Test
    void anOldestCheckoutPaidMeanwhileIsNotReleasedAndTheNewCheckoutGets429() throws Exception {
        String address = ShopClient.email();
        String paidPiece = shop.piece(1);
        String paid = created(shop.checkoutFrom(LoopbackClient.newAddress(), paidPiece, 1, address));
        String other = created(shop.checkoutFrom(LoopbackClient.newAddress(), shop.piece(1), 1, address));
        StripeStandIn.SignedEvent completed = aws.stripe().pay(paid, StripeStandIn.PaymentMethod.CARD,
                StripeStandIn.Customer.SAMPLE.withEmail(null));
        String wanted = shop.piece(1);

        HttpResponse<String> refused = shop.checkoutFrom(LoopbackClient.newAddress(), wanted, 1, address);

        assertEquals(429, refused.statusCode(), refused.body());
        assertEquals(String.valueOf(SESSION_SECONDS), refused.headers().firstValue("retry-after").orElseThrow());
        assertEquals("complete", stripeStatus(paid));
        assertEquals("open", stripeStatus(other), "not ended for nothing");
        assertEquals(0, shop.products().find(paidPiece).orElseThrow().stock(), "the paid piece is not given back");
        assertEquals("in_stock", shop.availability(wanted), "nothing held");

        assertEquals(200, shop.webhook(completed).statusCode());
        assertEquals(OrderStatus.PAID, shop.order(paid).status());
        HttpResponse<String> again = shop.checkoutFrom(LoopbackClient.newAddress(), wanted, 1, address);
        assertEquals(201, again.statusCode(), again.body());
        assertEquals("open", stripeStatus(other));
        assertEquals(0, shop.products().find(paidPiece).orElseThrow().stock(), "sold once");
    }

    /**
     * Checkouts of one address from six IPs at once, each for a one-of-a-kind piece of its own,
     * against an address that already has two open: whatever order they run in, at most two of
     * the address's payment pages are open at the end, every piece of an open page is held, and
     * every other piece (its page superseded, or its checkout refused) is on sale once.
     */
    @Test
    void checkoutsOfOneAddressRacingEachOtherLeaveAtMostTwoOpenAndEveryPieceHeldOnceOrOnSale() throws Exception {
        String address = ShopClient.email();
        java.util.Map<String, String> pieceOfSession = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 2; i++) {
            String piece = shop.piece(1);
            pieceOfSession.put(created(shop.checkoutFrom(LoopbackClient.newAddress(), piece, 1, address)), piece);
        }
        List<String> racingPieces = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            racingPieces.add(shop.piece(1));
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        List<java.util.concurrent.Future<HttpResponse<String>>> racing = new ArrayList<>();
        try {
            for (String piece : racingPieces) {
                racing.add(pool.submit(() -> shop.checkoutFrom(LoopbackClient.newAddress(), piece, 1, address)));
            }
            List<String> refusedPieces = new ArrayList<>();
            for (int i = 0; i < racing.size(); i++) {
                HttpResponse<String> answer = racing.get(i).get();
                if (answer.statusCode() == 201) {
                    pieceOfSession.put(ShopClient.json(answer).get("id").asText(), racingPieces.get(i));
                } else {
                    // Past the limit with the lists changing under it, or a transaction conflict: nothing held.
                    assertTrue(answer.statusCode() == 429 || answer.statusCode() == 503, answer.statusCode() + " " + answer.body());
                    refusedPieces.add(racingPieces.get(i));
                }
            }
            assertTrue(pieceOfSession.size() > 2, "at least one racing checkout started: " + pieceOfSession.size());
        } finally {
            pool.shutdownNow();
        }

        List<String> open = pieceOfSession.keySet().stream().filter(session -> stripeStatus(session).equals("open")).toList();
        assertTrue(open.size() <= 2, open.size() + " open payment pages for one address");
        ShopClient.await("every piece of an ended or refused checkout back on sale", () -> racingPieces.stream()
                .allMatch(piece -> stock(piece) == (open.stream().anyMatch(s -> pieceOfSession.get(s).equals(piece)) ? 0 : 1)));
        for (var entry : pieceOfSession.entrySet()) {
            assertEquals(open.contains(entry.getKey()) ? 0 : 1, stock(entry.getValue()),
                    entry.getKey() + " is " + stripeStatus(entry.getKey()));
        }
    }

    private static int stock(String sku) {
        return shop.products().find(sku).orElseThrow().stock();
    }

    private static String created(HttpResponse<String> answer) throws Exception {
        assertEquals(201, answer.statusCode(), answer.body());
        return ShopClient.json(answer).get("id").asText();
    }

    private static String stripeStatus(String session) {
        return aws.stripe().session(session).orElseThrow().status();
    }

    private static String reservationOf(String session) {
        return aws.stripe().session(session).orElseThrow().metadata().get("reservation_id");
    }

    @Test
    void aCartOfFourOneOfAKindPiecesIsRefusedWithTheFieldToFixAndHoldsNothing() throws Exception {
        List<String> skus = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String sku = shop.piece(1);
            var product = shop.products().find(sku).orElseThrow();
            shop.products().save(new shop.commerce.catalog.Product(sku, product.name(), product.description(),
                    product.price(), 1, product.images(), true, null, true), true);
            skus.add(sku);
        }
        String items = String.join(",", skus.stream().map(sku -> "{\"sku\":\"" + sku + "\",\"quantity\":1}").toList());

        HttpResponse<String> answer = LoopbackClient.send(LoopbackClient.newAddress(), "POST",
                running.baseUri().resolve("/checkout/sessions"), Map.of("content-type", "application/json"),
                "{\"items\":[" + items + "],\"email\":\"" + ShopClient.email() + "\"}");

        assertEquals(400, answer.statusCode(), answer.body());
        assertEquals("items", ShopClient.json(answer).get("field").asText());
        for (String sku : skus) {
            assertEquals("in_stock", shop.availability(sku));
        }
    }
}
