package shop.abandonedcheckouts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.catalog.DynamoProductStore;
import shop.commerce.reservations.DynamoReservationStore;
import shop.commerce.reservations.Reservation;
import shop.commerce.reservations.ReservedLine;
import shop.commerce.reservations.StockReservations;
import shop.commerce.testing.SampleEvents;
import shop.commerce.testing.Samples;
import shop.core.config.Env;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;

/** The scheduled function with template.yaml's environment, fed the EventBridge sample event, against the stand-ins. */
@ExtendWith(LocalAwsExtension.class)
class AbandonedCheckoutsHandlerTest {
    private static final ScheduledEvent SCHEDULED = SampleEvents.scheduled("checkout/release-abandoned-checkouts.json");

    @Test
    void givesBackThePiecesOfCheckoutsThatStoppedBeforeTheirPaymentPageOnceAndNothingElse(LocalAws aws) {
        var env = Env.of(aws.functionEnvironment("AbandonedCheckoutsFunction", Map.of()));
        String run = UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String abandonedSku = "RING-ABANDONED-" + run;
        String onPaymentPageSku = "RING-ON-PAYMENT-PAGE-" + run;
        var products = new DynamoProductStore(aws.dynamo(), aws.physicalName("ProductsTable"), Clock.systemUTC());
        products.save(Samples.product(abandonedSku, 18500, 1), true);
        products.save(Samples.product(onPaymentPageSku, 18500, 1), true);
        var checkouts = new DynamoReservationStore(aws.dynamo(), aws.physicalName("CheckoutsTable"),
                aws.physicalName("ProductsTable"), Clock.systemUTC());
        var stock = new StockReservations(checkouts, Clock.systemUTC());
        // What a checkout killed after holding its piece leaves behind, and a customer on the payment page.
        Reservation abandoned = stock.reserve(List.of(new ReservedLine(abandonedSku, 1)));
        Reservation onPaymentPage = stock.reserve(List.of(new ReservedLine(onPaymentPageSku, 1)));
        stock.attachSession(onPaymentPage.id(), "cs_test_" + run);

        new AbandonedCheckoutsHandler(env, Clock.systemUTC()).handleRequest(SCHEDULED, null);
        assertEquals(0, products.find(abandonedSku).orElseThrow().stock(), "a checkout begun just now may still be running");

        var later = new AbandonedCheckoutsHandler(env, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(6)));
        var released = later.handleRequest(SCHEDULED, null);
        later.handleRequest(SCHEDULED, null);

        assertTrue((Integer) released.get("released") >= 1, released.toString());
        assertEquals(1, products.find(abandonedSku).orElseThrow().stock(), "for sale again, given back once");
        assertEquals(Reservation.Status.RELEASED, checkouts.find(abandoned.id()).orElseThrow().status());
        assertEquals(0, products.find(onPaymentPageSku).orElseThrow().stock(), "a customer may be paying for this one");
        assertEquals(Reservation.Status.OPEN, checkouts.find(onPaymentPage.id()).orElseThrow().status());
    }
}
