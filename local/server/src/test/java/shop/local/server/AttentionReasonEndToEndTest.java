package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderStatus;
import shop.commerce.reservations.DynamoReservationStore;
import shop.local.stack.LocalAdmins;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.SentMail;
import shop.local.stack.StripeStandIn;

/**
 * The back office says why an order needs the owner from the order itself, before the order
 * notification function has handled the owner's mail: here the API runs without the SQS pollers,
 * as when that queue is slow or its function failing, which is when the owner has no mail to go
 * by. A Payment Link's payment (no_reservation, the order's create) and a checkout paid after its
 * piece went back (stock_not_held, the paid order's transaction); then the pollers start and the
 * owner's mails say the same.
 */
@ExtendWith(LocalAwsExtension.class)
class AttentionReasonEndToEndTest {

    @Test
    void theOrderPageSaysWhyAnOrderNeedsTheOwnerBeforeTheOwnersMailIsHandled(LocalAws aws) throws Exception {
        SourceIpLimits.startFresh(aws);
        LocalFunctions functions = new LocalFunctions(aws, aws.template(), Map.of());
        String ownerToken = aws.admins().signIn(LocalAdmins.OWNER.username()).accessToken();
        try (LocalApiServer server = LocalApiServer.start(functions, 0)) {
            ShopClient shop = new ShopClient(aws, server.baseUri());
            String paymentLink = new OtherIntegration(aws).session(shop.piece(1), ShopClient.email(), 18500L, null);
            assertEquals(303, shop.payByCard(paymentLink).statusCode());
            String late = paidAfterItsPieceWentBack(aws, shop);

            Map<String, String> reasons = Map.of(paymentLink, "no_reservation", late, "stock_not_held");
            for (var expected : reasons.entrySet()) {
                Order order = awaitNeedingAttention(shop, expected.getKey());
                JsonNode detail = ShopClient.json(shop.admin("/admin/orders/" + order.id(), ownerToken));
                assertEquals("NEEDS_ATTENTION", detail.get("status").asText(), detail.toString());
                assertEquals(expected.getValue(), detail.path("attentionReason").asText(null), detail.toString());
                assertEquals(0, detail.get("mails").size(), "the owner's mail not handled yet: " + detail);
                assertEquals(List.of(), shop.mailsTo(ShopClient.OWNER, "Order " + order.number() + " needs"));
            }

            try (SqsPoller pollers = SqsPoller.start(functions)) {
                shop.awaitQueueDrained();
            }
            for (var expected : reasons.entrySet()) {
                Order order = shop.order(expected.getKey());
                List<SentMail> owner = shop.mailsTo(ShopClient.OWNER, "Order " + order.number() + " needs your attention");
                assertEquals(1, owner.size(), "the owner's mail, once: " + owner);
                JsonNode detail = ShopClient.json(shop.admin("/admin/orders/" + order.id(), ownerToken));
                assertEquals(expected.getValue(), detail.path("attentionReason").asText(null), detail.toString());
                assertEquals("OWNER_ATTENTION", detail.at("/mails/0/kind").asText(), detail.toString());
                assertEquals(expected.getValue(), detail.at("/mails/0/ref").asText(), "the mail said the same");
            }
        }
    }

    /** A checkout paid after its reservation gave the piece back (as an expiry racing the payment does). */
    private static String paidAfterItsPieceWentBack(LocalAws aws, ShopClient shop) throws Exception {
        String session = shop.startCheckout(shop.piece(1), ShopClient.email());
        String reservation = aws.stripe().session(session).orElseThrow().metadata().get("reservation_id");
        StripeStandIn.SignedEvent paid = aws.stripe().pay(session, StripeStandIn.PaymentMethod.CARD,
                StripeStandIn.Customer.SAMPLE);
        assertTrue(new DynamoReservationStore(aws.dynamo(), aws.physicalName("CheckoutsTable"),
                aws.physicalName("ProductsTable"), Clock.systemUTC()).release(reservation));
        assertEquals(200, shop.webhook(paid).statusCode());
        return session;
    }

    private static Order awaitNeedingAttention(ShopClient shop, String session) throws InterruptedException {
        ShopClient.await("order " + session + " needs attention", () -> shop.orders().find(session)
                .map(order -> order.status() == OrderStatus.NEEDS_ATTENTION).orElse(false));
        return shop.order(session);
    }
}
