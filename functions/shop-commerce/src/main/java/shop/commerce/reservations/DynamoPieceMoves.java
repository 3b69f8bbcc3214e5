package shop.commerce.reservations;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import shop.commerce.catalog.DynamoPieceMove;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The products' part of a reservation's end (its release or its sale): one {@link DynamoPieceMove} per
 * line, in the reservation's transaction. A refused one is narrowed to what it can still do, or
 * left out, and the transaction written again with the rest.
 */
final class DynamoPieceMoves {
    /** A line's product that refused its move, and what the refusal turned down. */
    record Refused(String sku, DynamoPieceMove.Refusal refusal) {}

    private record Move(ReservedLine line, DynamoPieceMove move) {}

    private final String productsTable;
    private List<Move> moves;

    DynamoPieceMoves(String productsTable, List<ReservedLine> lines, DynamoPieceMove move) {
        this.productsTable = productsTable;
        this.moves = lines.stream().map(line -> new Move(line, move)).toList();
    }

    /** The writes still to make, in the order of the reservation's lines. */
    List<TransactWriteItem> writes() {
        return moves.stream().map(m -> TransactWriteItem.builder()
                .update(m.move().on(productsTable, m.line().sku(), m.line().quantity())).build()).toList();
    }

    /**
     * Narrows (or leaves out) each move its product refused: {@code refused} by index into the
     * transaction, in which {@link #writes} began at {@code at}.
     */
    List<Refused> refused(Map<Integer, Map<String, AttributeValue>> refused, int at) {
        List<Refused> answered = new ArrayList<>();
        List<Move> left = new ArrayList<>();
        for (int i = 0; i < moves.size(); i++) {
            Move m = moves.get(i);
            Map<String, AttributeValue> product = refused.get(at + i);
            if (product == null) {
                left.add(m);
                continue;
            }
            DynamoPieceMove.Refusal refusal = m.move().refusal(product, m.line().quantity());
            answered.add(new Refused(m.line().sku(), refusal));
            m.move().without(refusal).ifPresent(narrowed -> left.add(new Move(m.line(), narrowed)));
        }
        moves = List.copyOf(left);
        return answered;
    }
}
