package shop.commerce.orders;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import shop.core.json.Json;

/**
 * What the webhook tells the notification function through SQS: which order and what happened,
 * and for a refund or a dispute which one ({@code ref}: Stripe's {@code re_...} or {@code du_...}).
 * Ids only: the queue never carries a name, an address or an amount.
 */
public record OrderMessage(Type type, String orderId, String ref) {
    public enum Type {
        ORDER_PAID("OrderPaid"),
        PAYMENT_FAILED("PaymentFailed"),
        /** The back office recorded a shipment: the customer's shipping mail, with the tracking link. */
        ORDER_SHIPPED("OrderShipped"),
        /**
         * The back office corrected a shipment's carrier, number or link: the customer's mail with the right
         * tracking link ({@code ref} = the correction's number, 1 for the first).
         */
        SHIPMENT_CORRECTED("ShipmentCorrected"),
        /**
         * The back office changed an order's shipping address at the customer's request: the customer's mail saying
         * so, to the new address ({@code ref} = the change's number, 1 for the first).
         */
        SHIPPING_ADDRESS_CHANGED("ShippingAddressChanged"),
        /**
         * The back office corrected the order's customer email (their order mail bounced): the order's mail again, to
         * the corrected address only ({@code ref} = the correction's number, 1 for the first).
         */
        ORDER_EMAIL_CHANGED("OrderEmailChanged"),
        /** A refund was recorded: the customer's refund mail ({@code ref} = the Stripe refund id). */
        ORDER_REFUNDED("OrderRefunded"),
        /** A dispute was opened: the owner's mail with the evidence deadline ({@code ref} = the dispute id). */
        DISPUTE_OPENED("DisputeOpened"),
        /** Stripe failed or canceled a refund after it was made: the owner's mail ({@code ref} = the refund id). */
        REFUND_FAILED("RefundFailed"),
        /** A paid session that needs the owner ({@code ref} = why: {@link OrderMessage#ATTENTION_REASONS}). */
        ORDER_NEEDS_ATTENTION("OrderNeedsAttention");

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
        boolean needsRef = type == Type.ORDER_REFUNDED || type == Type.DISPUTE_OPENED || type == Type.REFUND_FAILED
                || type == Type.ORDER_NEEDS_ATTENTION
                || type == Type.SHIPMENT_CORRECTED || type == Type.SHIPPING_ADDRESS_CHANGED
                || type == Type.ORDER_EMAIL_CHANGED;
        if (needsRef != (ref != null) || ref != null && !ref.matches("[A-Za-z0-9_]{1,255}")) {
            throw new IllegalArgumentException("A refund, failed refund, dispute, attention, shipment-correction, shipping-address or"
                    + " email-change message names its ref; others name none");
        }
        if ((type == Type.SHIPMENT_CORRECTED || type == Type.SHIPPING_ADDRESS_CHANGED || type == Type.ORDER_EMAIL_CHANGED)
                && !ref.matches("[1-9][0-9]{0,8}")) {
            throw new IllegalArgumentException("A shipment correction's, a shipping address change's or an email change's"
                    + " message names its number");
        }
    }

    /** Why a paid session needs the owner: the {@code ref} of an ORDER_NEEDS_ATTENTION message. */
    public static final java.util.List<String> ATTENTION_REASONS = java.util.List.of(
            "no_reservation", "unknown_reservation", "other_session", "other_amount", "deactivated_email",
            "stock_not_held");

    public OrderMessage(Type type, String orderId) {
        this(type, orderId, null);
    }

    public String toJson() {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("type", type.wireName());
        body.put("orderId", orderId);
        if (ref != null) {
            body.put("ref", ref);
        }
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
        JsonNode ref = node.get("ref");
        if (ref != null && !ref.isTextual()) {
            throw new IllegalArgumentException("An order message's \"ref\" is a string");
        }
        return new OrderMessage(Type.fromWire(node.get("type").textValue()), node.get("orderId").textValue(),
                ref == null ? null : ref.textValue());
    }
}
