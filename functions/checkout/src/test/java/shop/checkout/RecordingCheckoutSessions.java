package shop.checkout;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import shop.core.errors.UpstreamException;

/**
 * A payment page that remembers what it was asked for, and can be made to fail. Sessions can be
 * marked {@link #completed} (the customer paid) or {@link #expired}, as Stripe would know them.
 */
final class RecordingCheckoutSessions implements CheckoutSessions {
    final List<NewCheckoutSession> created = new CopyOnWriteArrayList<>();
    /** Every expire call: {@code sessionId idempotencyKey}. */
    final List<String> expireCalls = new CopyOnWriteArrayList<>();
    final Set<String> completed = ConcurrentHashMap.newKeySet();
    final Set<String> expired = ConcurrentHashMap.newKeySet();
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

    @Override
    public Ending expire(String sessionId, String idempotencyKey) {
        if (failing) {
            throw new UpstreamException("The payment provider could not end a checkout.", new java.io.IOException("down"));
        }
        expireCalls.add(sessionId + " " + idempotencyKey);
        if (completed.contains(sessionId)) {
            return Ending.COMPLETE;
        }
        expired.add(sessionId);
        return Ending.ENDED;
    }

    static String sessionOf(NewCheckoutSession session) {
        return "cs_test_" + session.reservationId();
    }
}
