package shop.orderstatus;

import java.util.regex.Pattern;
import shop.commerce.orders.OrderStore;
import shop.core.errors.NotFoundException;

/** Looks up an order by the Checkout Session id the customer was sent back with. */
public final class OrderStatusService {
    private static final Pattern SESSION_ID = Pattern.compile("cs_(test|live)_[A-Za-z0-9]{10,200}");
    private final OrderStore orders;

    public OrderStatusService(OrderStore orders) {
        this.orders = orders;
    }

    /** Unknown and malformed ids answer alike: the webhook may simply not have arrived yet. */
    public OrderStatusView find(String sessionId) {
        if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
            throw notYet();
        }
        return orders.find(sessionId).map(OrderStatusView::of).orElseThrow(OrderStatusService::notYet);
    }

    private static NotFoundException notYet() {
        return new NotFoundException("No order for this checkout yet: if you just paid, it appears within seconds.");
    }
}
