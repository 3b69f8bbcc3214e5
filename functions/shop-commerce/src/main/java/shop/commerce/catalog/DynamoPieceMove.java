package shop.commerce.catalog;

import static shop.core.dynamo.DynamoItems.n;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * One write of pieces leaving a hold (released or sold) or coming back from an order (restocked),
 * on their product's item ({@link DynamoProductStore}): conditional on the product still being
 * there, on {@code held} counting the pieces it takes from there, and, for a one-of-a-kind
 * piece, on {@code stock + held} staying at most 1 when it puts pieces in {@code stock}. A
 * refused write answers the item as it stood, which tells what it turned down ({@link #refusal}).
 */
public enum DynamoPieceMove {
    /** From {@code held} back to {@code stock} ({@code stock + held} unchanged): a hold that counted them, released. */
    HELD_TO_STOCK(true, true, "SET stock = stock + :q, held = held - :q"),
    /** To {@code stock} alone: a restock, or a release of a hold that never counted them in {@code held}. */
    TO_STOCK(true, false, "ADD stock :q"),
    /** Out of {@code held} alone: a sale, or a release whose one-of-a-kind piece is on sale already. */
    OUT_OF_HELD(false, true, "SET held = held - :q");

    /** What a product's refusal of a move turned down, read from its item as it stood. */
    public enum Refusal {
        /** The product is gone (deleted since): nothing to move the pieces to or from. */
        DELETED,
        /** A one-of-a-kind piece for sale or held already: another piece in {@code stock} would be one too many. */
        ONE_OF_A_KIND_ON_SALE,
        /** {@code held} no longer counts the pieces (the item was written anew meanwhile). */
        HELD_NOT_COUNTED
    }

    private final boolean toStock;
    private final boolean fromHeld;
    private final String expression;

    DynamoPieceMove(boolean toStock, boolean fromHeld, String expression) {
        this.toStock = toStock;
        this.fromHeld = fromHeld;
        this.expression = expression;
    }

    /**
     * The write of {@code quantity} pieces of {@code sku} in the products table {@code table}.
     * DynamoDB's conditions cannot add, so with q the pieces and room = 1 − q, a one-of-a-kind
     * piece's {@code stock + held} stays at most 1 exactly when: from {@code held}, {@code stock
     * <= room AND held <= q} (the sum does not change; held ≥ q ≥ 1); to {@code stock} alone,
     * {@code stock <= room AND held <= room} (it grows by q; both ≥ 0, room ≤ 0).
     */
    public Update on(String table, String sku, int quantity) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":q", n(quantity)));
        String condition = "attribute_exists(sku)" + (fromHeld ? " AND held >= :q" : "");
        if (toStock) {
            condition += " AND (attribute_not_exists(oneOfAKind) OR oneOfAKind <> :true OR (stock <= :room"
                    + " AND (attribute_not_exists(held) OR held <= :heldAtMost)))";
            values.put(":true", AttributeValue.fromBool(true));
            values.put(":room", n(1 - quantity));
            values.put(":heldAtMost", n(fromHeld ? quantity : 1 - quantity));
        }
        return Update.builder().tableName(table).key(DynamoProductStore.key(sku))
                .updateExpression(expression).conditionExpression(condition).expressionAttributeValues(values)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build();
    }

    /**
     * What this move of {@code quantity} pieces turned down, refused with {@code product} (the
     * item as it stood; empty: none).
     */
    public Refusal refusal(Map<String, AttributeValue> product, int quantity) {
        if (product.isEmpty()) {
            return Refusal.DELETED;
        }
        return fromHeld && DynamoProductStore.held(product) < quantity ? Refusal.HELD_NOT_COUNTED
                : Refusal.ONE_OF_A_KIND_ON_SALE;
    }

    /** This move without the part {@code refusal} turned down; empty when nothing is left to write. */
    public Optional<DynamoPieceMove> without(Refusal refusal) {
        return switch (refusal) {
            case DELETED -> Optional.empty();
            case ONE_OF_A_KIND_ON_SALE -> fromHeld ? Optional.of(OUT_OF_HELD) : Optional.empty();
            case HELD_NOT_COUNTED -> toStock ? Optional.of(TO_STOCK) : Optional.empty();
        };
    }
}
