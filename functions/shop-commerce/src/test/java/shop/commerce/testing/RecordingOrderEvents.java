package shop.commerce.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import shop.commerce.orders.OrderEvents;
import shop.commerce.orders.OrderMessage;

/** Keeps what would have gone to the queue. */
public final class RecordingOrderEvents implements OrderEvents {
    public final List<OrderMessage> published = new CopyOnWriteArrayList<>();

    @Override
    public void publish(OrderMessage message) {
        published.add(message);
    }
}
