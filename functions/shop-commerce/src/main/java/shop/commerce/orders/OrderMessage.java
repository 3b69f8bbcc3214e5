package shop.commerce.orders;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import shop.core.json.Json;

/**
 * What the webhook tells the notification function through SQS: which order and what happened.
 * Ids only: the queue never carries a name, an address or an amount.
 */
public record OrderMessage(Type type, String orderId) {
    public enum Type {
        ORDER_PAID("OrderPaid"),
        PAYMENT_FAILED("PaymentFailed"),
        /** The back office recorded a shipment: the customer's shipping mail, with the tracking link. */
        ORDER_SHIPPED("OrderShipped");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        static Type fromWire(String name) {
            return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("Unknown order message type"));
        }
    }

    public OrderMessage {
        if (type == null || orderId == null || !orderId.startsWith("cs_")) {
            throw new IllegalArgumentException("An order message names its type and a Checkout Session id");
        }
    }

    public String toJson() {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("type", type.wireName());
        body.put("orderId", orderId);
        return Json.write(body);
    }

    public static OrderMessage parse(String json) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("An order message is a JSON object", e);
        }
        if (node == null || !node.path("type").isTextual() || !node.path("orderId").isTextual()) {
            throw new IllegalArgumentException("An order message has \"type\" and \"orderId\"");
        }
        return new OrderMessage(Type.fromWire(node.get("type").textValue()), node.get("orderId").textValue());
    }
}
