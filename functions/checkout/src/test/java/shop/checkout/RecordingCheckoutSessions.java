package shop.checkout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import shop.core.errors.UpstreamException;

/** A payment page that remembers what it was asked for, and can be made to fail. */
final class RecordingCheckoutSessions implements CheckoutSessions {
    final List<NewCheckoutSession> created = new CopyOnWriteArrayList<>();
    volatile boolean failing;

    @Override
    public CreatedSession create(NewCheckoutSession session) {
        if (failing) {
            throw new UpstreamException("The payment provider could not start a checkout.", new java.io.IOException("down"));
        }
        created.add(session);
        String id = "cs_test_" + session.reservationId();
        return new CreatedSession(id, "https://checkout.stripe.test/c/pay/" + id);
    }
}
