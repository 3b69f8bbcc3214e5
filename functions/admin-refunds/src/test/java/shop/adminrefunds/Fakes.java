package shop.adminrefunds;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import shop.core.admin.AdminAction;
import shop.core.admin.AuditTrail;
import shop.core.errors.ConflictException;

/** In-memory stand-ins of the provider's refunds and the audit trail. */
final class Fakes {
    private Fakes() {
    }

    /** Stripe's refunds as the service sees them: one per idempotency key, never more than was paid. */
    static class Refunds implements PaymentRefunds {
        final List<MadeRefund> made = new CopyOnWriteArrayList<>();
        final Map<String, MadeRefund> byKey = new ConcurrentHashMap<>();
        final Map<String, Long> paid = new ConcurrentHashMap<>();
        int calls;

        @Override
        public synchronized MadeRefund create(String paymentIntentId, Long amount, String reason, String orderId,
                                              String idempotencyKey) {
            calls++;
            MadeRefund earlier = byKey.get(idempotencyKey);
            if (earlier != null) {
                return earlier;
            }
            long refunded = made.stream().mapToLong(MadeRefund::amount).sum();
            long left = paid.getOrDefault(paymentIntentId, 0L) - refunded;
            long asked = amount == null ? left : amount;
            if (asked > left) {
                throw new ConflictException("Stripe refused the refund: more than is left");
            }
            MadeRefund refund = new MadeRefund("re_" + (made.size() + 1), asked, "usd", "succeeded");
            made.add(refund);
            byKey.put(idempotencyKey, refund);
            return refund;
        }
    }

    static final class Audit implements AuditTrail {
        final List<AdminAction> actions = new CopyOnWriteArrayList<>();

        @Override
        public void record(AdminAction action) {
            actions.add(action);
        }

        @Override
        public List<AdminAction> of(String subject) {
            return new ArrayList<>(actions.stream().filter(a -> a.subject().equals(subject)).toList());
        }
    }
}
