package shop.commerce.orders;

/** Where order news goes for the notification function (template.yaml's OrderNotificationQueue). */
public interface OrderEvents {
    void publish(OrderMessage message);
}
