package shop.commerce.orders;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;
import static shop.core.dynamo.DynamoItems.text;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import shop.commerce.catalog.DynamoPieceMove;
import shop.core.dynamo.DynamoAuditTrail;
import shop.core.dynamo.DynamoItems;
import shop.core.dynamo.DynamoTransactions;
import shop.core.logging.Log;
import shop.core.retention.RetentionSchedule;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link OrderAccounts} on the orders table's {@code ORDER#<id>} item, next to what
 * {@link DynamoOrderStore} writes: {@code refunds} (a list of maps, one per Stripe refund id),
 * {@code refundIds} (a string set, the condition that keeps each refund once; an entry Stripe failed or
 * canceled since carries {@code failure}, {@code failureReason} and {@code failedAt}), {@code dispute}
 * (a map), {@code needsAttention}, {@code restockedPieces} (a map, SKU to how many pieces went back on sale),
 * {@code restockedAt} (when everything was back) and {@code mailsQueued} (a string set); while
 * the dispute is open, {@code disputeOpen} and {@code disputeDueBy}, the keys of the open-disputes index.
 * Stripe's events change it with single conditional UpdateItems; the back office's changes are
 * each one {@code TransactWriteItems} of that same conditional update and the change's line in
 * the audit trail ({@link DynamoAuditTrail#line}), so no change is left without its line.
 */
public final class DynamoOrderAccounts implements OrderAccounts {
    /** Concurrent refunds of one order are rare (two owners at once): a few optimistic rounds suffice. */
    private static final int ATTEMPTS = 5;

    private final DynamoDbClient dynamo;
    private final String table;
    private final String productsTable;
    private final DynamoAuditTrail trail;
    private final Clock clock;

    /** The orders as Stripe's events change them: no audit trail, no pieces back on sale. */
    public DynamoOrderAccounts(DynamoDbClient dynamo, String table, Clock clock) {
        this(dynamo, table, null, null, clock);
    }

    /**
     * The orders as the back office changes them: each change written with its line of
     * {@code trail}, and a restock giving pieces back on {@code productsTable}.
     */
    public DynamoOrderAccounts(DynamoDbClient dynamo, String table, String productsTable, DynamoAuditTrail trail,
                               Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.productsTable = productsTable;
        this.trail = trail;
        this.clock = clock;
    }

    /** Orders a payment was taken for: a refund made in the Dashboard or by the owner is recorded on them. */
    private static final Set<OrderStatus> REFUNDABLE = Set.of(OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.REFUNDED,
            OrderStatus.NEEDS_ATTENTION);

    @Override
    public Optional<OrderAccount> find(String orderId) {
        return read(orderId).map(DynamoOrderAccounts::account);
    }

    /**
     * {@inheritDoc} An order refunded in full whose erasure waited for it to be done (it was still to
     * ship, {@link DynamoDeferredErasure}) loses its name and shipping address now; a repeat of the same
     * refund finishes what a call stopped in between left.
     */
    @Override
    public Change addRefund(OrderAccount read, Refund refund) {
        return addRefund(read, refund, null);
    }

    @Override
    public Change addRefund(OrderAccount read, Refund refund, Line line) {
        Change change = recordRefund(read, refund, line);
        if (change.account().filter(account -> account.order().status() == OrderStatus.REFUNDED).isEmpty()) {
            return change;
        }
        return DynamoDeferredErasure.finish(dynamo, table, change.account().get().order().id())
                .map(written -> new Change(change.made(), DynamoItems.live(written, clock.instant()).map(DynamoOrderAccounts::account)))
                .orElse(change);
    }

    private Change recordRefund(OrderAccount read, Refund refund, Line line) {
        OrderAccount current = read;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Order order = current.order();
            if (current.refund(refund.stripeRefundId()).isPresent() || !REFUNDABLE.contains(order.status())) {
                return new Change(false, Optional.of(current));
            }
            long before = order.amountRefunded();
            OrderAccount recorded = current.withRefund(refund);
            long after = recorded.order().amountRefunded();
            boolean full = recorded.order().status() == OrderStatus.REFUNDED;
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":one", AttributeValue.fromL(List.of(refund(refund))));
            values.put(":empty", AttributeValue.fromL(List.of()));
            values.put(":id", AttributeValue.fromSs(List.of(refund.stripeRefundId())));
            values.put(":idValue", s(refund.stripeRefundId()));
            values.put(":before", n(before));
            values.put(":after", n(after));
            values.put(":at", s(refund.at().toString()));
            values.put(":paid", s(OrderStatus.PAID.name()));
            values.put(":shipped", s(OrderStatus.SHIPPED.name()));
            values.put(":refunded", s(OrderStatus.REFUNDED.name()));
            values.put(":attention", s(OrderStatus.NEEDS_ATTENTION.name()));
            Change change = write(current, recorded, line, new DynamoWrite(
                    "SET refunds = list_append(if_not_exists(refunds, :empty), :one),"
                            + " amountRefunded = :after, updatedAt = :at"
                            + (full ? ", #status = :refunded, refundedAt = if_not_exists(refundedAt, :at)" : "")
                            + " ADD refundIds :id",
                    "amountRefunded = :before AND #status IN (:paid, :shipped, :refunded, :attention)"
                            + " AND (attribute_not_exists(refundIds) OR NOT contains(refundIds, :idValue))",
                    Map.of("#status", "status"), values));
            if (change.made() || change.account().isEmpty()) {
                return change;
            }
            // Another refund or a status change came between the read and the write: judged again on the order as it is now.
            current = change.account().get();
        }
        throw new IllegalStateException("The order kept changing while a refund was recorded; try again");
    }

    /**
     * {@inheritDoc} One conditional UpdateItem: with an entry, on the condition that it is still the
     * entry at its place and not failed, and that the order's {@code amountRefunded} and status are
     * as read (a REFUNDED order is neither shipped nor accepted any more, so what it goes back to,
     * judged from the stored item, holds while its status does); without one, on the condition that
     * no entry of it was recorded meanwhile. {@code refundedAt} stays: when it was first refunded in full.
     */
    @Override
    public Change recordRefundFailure(OrderAccount read, Refund failed) {
        if (!failed.failed()) {
            throw new IllegalArgumentException("Only a refund that failed or was canceled is recorded as failed");
        }
        OrderAccount current = read;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Order order = current.order();
            Optional<Refund> entry = current.refund(failed.stripeRefundId());
            if (entry.isPresent() && entry.get().failed()) {
                return new Change(false, Optional.of(current));
            }
            Refund marked = entry.map(e -> e.failedAs(failed.failure(), failed.failureReason(), failed.failedAt()))
                    .orElse(failed);
            OrderStatus unrefunded = order.status() == OrderStatus.REFUNDED ? unrefunded(order.id()) : order.status();
            OrderAccount after = current.withRefundFailed(marked, unrefunded);
            Map<String, AttributeValue> values = new HashMap<>();
            Map<String, String> names = new HashMap<>();
            values.put(":attention", AttributeValue.fromBool(true));
            values.put(":at", s(failed.failedAt().toString()));
            values.put(":idValue", s(failed.stripeRefundId()));
            String update;
            String condition;
            if (entry.isPresent()) {
                int i = current.refunds().indexOf(entry.get());
                values.put(":refund", refund(marked));
                values.put(":before", n(order.amountRefunded()));
                values.put(":after", n(after.order().amountRefunded()));
                values.put(":read", s(order.status().name()));
                names.put("#status", "status");
                update = "SET refunds[" + i + "] = :refund, amountRefunded = :after, needsAttention = :attention,"
                        + " updatedAt = :at";
                if (after.order().status() != order.status()) {
                    values.put(":status", s(after.order().status().name()));
                    update += ", #status = :status";
                }
                condition = "refunds[" + i + "].stripeRefundId = :idValue AND attribute_not_exists(refunds[" + i
                        + "].failure) AND amountRefunded = :before AND #status = :read";
            } else {
                values.put(":one", AttributeValue.fromL(List.of(refund(marked))));
                values.put(":empty", AttributeValue.fromL(List.of()));
                values.put(":id", AttributeValue.fromSs(List.of(failed.stripeRefundId())));
                update = "SET refunds = list_append(if_not_exists(refunds, :empty), :one), needsAttention = :attention,"
                        + " updatedAt = :at ADD refundIds :id";
                condition = "attribute_exists(pk) AND (attribute_not_exists(refundIds) OR NOT contains(refundIds, :idValue))";
            }
            Change change = write(current, after, null, new DynamoWrite(update, condition,
                    names.isEmpty() ? null : names, values));
            if (change.made() || change.account().isEmpty()) {
                return change;
            }
            // Another refund, its echo or a status change came in between: judged again on the order as it is now.
            current = change.account().get();
        }
        throw new IllegalStateException("The order kept changing while a failed refund was recorded; the event will be retried");
    }

    /**
     * What a REFUNDED order goes back to when it is no longer refunded in full: SHIPPED once it was
     * handed to the carrier ({@code fulfilledAt}), NEEDS_ATTENTION when it needed the owner and was
     * never accepted ({@code attentionReason} without {@code acceptedAt}), else PAID (to ship again).
     */
    private OrderStatus unrefunded(String orderId) {
        Map<String, AttributeValue> item = read(orderId).orElse(Map.of());
        if (item.containsKey("fulfilledAt")) {
            return OrderStatus.SHIPPED;
        }
        if (item.containsKey("attentionReason") && !item.containsKey("acceptedAt")) {
            return OrderStatus.NEEDS_ATTENTION;
        }
        return OrderStatus.PAID;
    }

    @Override
    public Change claimEchoedRefund(OrderAccount read, Refund refund, Line line) {
        List<Refund> refunds = read.refunds();
        for (int i = 0; i < refunds.size(); i++) {
            Refund stored = refunds.get(i);
            if (stored.stripeRefundId().equals(refund.stripeRefundId())) {
                if (!Refund.BY_BACK_OFFICE.equals(stored.by()) || stored.amount() != refund.amount()) {
                    return new Change(false, Optional.of(read));
                }
                List<Refund> claimed = new ArrayList<>(refunds);
                claimed.set(i, refund);
                return write(read, read.withRefunds(claimed), requireLine(line), new DynamoWrite(
                        "SET refunds[" + i + "] = :refund",
                        "refunds[" + i + "].stripeRefundId = :id AND refunds[" + i + "].#by = :echo",
                        Map.of("#by", "by"),
                        Map.of(":refund", refund(refund), ":id", s(refund.stripeRefundId()), ":echo",
                                s(Refund.BY_BACK_OFFICE))));
            }
        }
        return new Change(false, Optional.of(read));
    }

    /**
     * {@inheritDoc} One transaction: the order's counts (on the condition that every SKU's count is
     * still as read, and that not everything is back: {@code restockedAt} absent), one
     * {@code ADD stock} per product (on the condition that the product is still there and, for a
     * one-of-a-kind piece, that its {@code stock + held} stays at one at most) and the line. A
     * product deleted since, or a one-of-a-kind piece on sale again already or in an open checkout
     * (the owner pressed + when it came back, and a customer may be paying for it now), refuses its
     * operation: the pieces of the other products go back without it, in a transaction written again.
     */
    @Override
    public Change restock(OrderAccount read, Map<String, Integer> pieces, Instant at, Line line) {
        requireLine(line);
        Map<String, Integer> left = read.notRestocked();
        if (pieces.isEmpty() || pieces.entrySet().stream()
                .anyMatch(piece -> piece.getValue() <= 0 || piece.getValue() > left.getOrDefault(piece.getKey(), 0))) {
            throw new IllegalArgumentException("A restock puts back at least one piece, and of each SKU no more than"
                    + " the order holds that is not back yet");
        }
        String orderId = read.order().id();
        OrderAccount restocked = read.withRestocked(pieces, at);
        DynamoWrite counts = restockCounts(read, restocked, pieces.keySet());
        Map<String, Integer> toGiveBack = new LinkedHashMap<>(pieces);
        while (true) {
            List<TransactWriteItem> items = new ArrayList<>();
            items.add(TransactWriteItem.builder().update(orderUpdate(orderId, counts)).build());
            List<String> skus = List.copyOf(toGiveBack.keySet());
            for (String sku : skus) {
                items.add(TransactWriteItem.builder()
                        .update(DynamoPieceMove.TO_STOCK.on(productsTable, sku, toGiveBack.get(sku))).build());
            }
            items.add(trail.line(line.of(read, restocked)));
            var refused = DynamoTransactions.writeOrRefusals(dynamo, "order.restock", items);
            if (refused.isEmpty()) {
                return new Change(true, Optional.of(restocked));
            }
            if (refused.containsKey(0)) {
                return new Change(false, refusedAnswer(orderId, refused.get(0)));
            }
            for (int index : refused.keySet()) {
                if (index > skus.size()) {
                    throw new IllegalStateException("The trail refused a new line");
                }
                String skipped = skus.get(index - 1);
                toGiveBack.remove(skipped);
                // The product as it stood: none when deleted, else a one-of-a-kind piece on sale or held already.
                Log.warn(refused.get(index).isEmpty() ? "restocked_piece_of_deleted_product"
                        : "restock_skipped_one_of_a_kind_on_sale", Map.of("orderId", orderId, "sku", skipped));
            }
        }
    }

    /**
     * The order's {@code restockedPieces} counts as {@code after} holds them, on the condition that they are
     * as {@code read} holds them: the first restock writes the whole map (every SKU of the order) where
     * there is none; a later one sets the counts of {@code changed}, each SKU's count as read. Set
     * {@code restockedAt} with the last piece.
     */
    private static DynamoWrite restockCounts(OrderAccount read, OrderAccount after, Set<String> changed) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> sets = new ArrayList<>();
        List<String> conditions = new ArrayList<>(List.of("attribute_exists(pk)", "attribute_not_exists(restockedAt)"));
        if (read.restockedPieces().isEmpty()) {
            Map<String, AttributeValue> counts = new LinkedHashMap<>();
            after.restockedCounts().forEach((sku, count) -> counts.put(sku, n(count)));
            values.put(":counts", AttributeValue.fromM(counts));
            sets.add("restockedPieces = :counts");
            conditions.add("attribute_not_exists(restockedPieces)");
        } else {
            int i = 0;
            for (String sku : read.restockedCounts().keySet()) {
                String path = "restockedPieces.#k" + i;
                names.put("#k" + i, sku);
                if (read.restockedPieces().containsKey(sku)) {
                    values.put(":r" + i, n(read.restockedOf(sku)));
                    conditions.add(path + " = :r" + i);
                } else {
                    conditions.add("attribute_not_exists(" + path + ")");
                }
                if (changed.contains(sku)) {
                    values.put(":n" + i, n(after.restockedOf(sku)));
                    sets.add(path + " = :n" + i);
                }
                i++;
            }
        }
        if (after.restockedAt() != null) {
            values.put(":at", s(after.restockedAt().toString()));
            sets.add("restockedAt = :at");
        }
        return new DynamoWrite("SET " + String.join(", ", sets), String.join(" AND ", conditions),
                names.isEmpty() ? null : names, values);
    }

    @Override
    public Change recordDispute(OrderAccount read, Dispute dispute, Instant at) {
        OrderAccount current = read;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Dispute stored = current.dispute();
            if (stored != null && !stored.id().equals(dispute.id())) {
                // Another dispute of the same payment (a chargeback after an inquiry closed, say): the order follows
                // the one opened last, so a late event of the earlier one does not hide it.
                if (!Dispute.openedAfter(dispute, stored)) {
                    return new Change(false, Optional.of(current));
                }
            } else if (stored != null && stored.closed() && !dispute.closed()) {
                return new Change(false, Optional.of(current)); // a late "created" after "closed": nothing to move back
            }
            Dispute merged = stored == null || !stored.id().equals(dispute.id()) ? dispute : new Dispute(
                    dispute.id(), dispute.reason(), dispute.status(), dispute.amount(), dispute.currency(),
                    dispute.evidenceDueBy(), dispute.outcome(),
                    stored.openedAt() != null ? stored.openedAt() : dispute.openedAt(),
                    stored.closedAt() != null ? stored.closedAt() : dispute.closedAt());
            if (merged.equals(stored)) {
                return new Change(false, Optional.of(current));
            }
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":dispute", dispute(merged));
            values.put(":attention", AttributeValue.fromBool(!merged.closed()));
            values.put(":at", s(at.toString()));
            Map<String, String> names = new HashMap<>(Map.of("#open", OrderIndexes.DISPUTE_OPEN,
                    "#due", OrderIndexes.DISPUTE_DUE_BY));
            String condition;
            if (stored == null) {
                condition = "attribute_exists(pk) AND attribute_not_exists(dispute)";
            } else {
                condition = "dispute.#status = :storedStatus AND dispute.#id = :storedId";
                values.put(":storedStatus", s(stored.status()));
                values.put(":storedId", s(stored.id()));
                names.put("#status", "status");
                names.put("#id", "id");
            }
            // The open-disputes index (OrderIndexes.BY_OPEN_DISPUTE) follows the dispute in this same write.
            String index;
            if (merged.closed()) {
                index = " REMOVE #open, #due";
            } else {
                index = ", #open = :open, #due = :due";
                values.put(":open", s(OrderIndexes.OPEN));
                values.put(":due", s(OrderIndexes.disputeDueBy(merged.evidenceDueBy(), current.order().id())));
            }
            Change change = update(current.order().id(), UpdateItemRequest.builder()
                    .updateExpression("SET dispute = :dispute, needsAttention = :attention, updatedAt = :at" + index)
                    .conditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
            if (change.made() || change.account().isEmpty()) {
                return change;
            }
            // Another delivery wrote the dispute first: merged again with the order as it is now.
            current = change.account().get();
        }
        throw new IllegalStateException("The order's dispute kept changing; the event will be retried");
    }

    @Override
    public void markMailQueued(String orderId, String ref) {
        dynamo.updateItem(UpdateItemRequest.builder()
                .tableName(table)
                .key(key(pk(orderId)))
                .updateExpression("ADD mailsQueued :ref")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":ref", AttributeValue.fromSs(List.of(ref))))
                .build());
    }

    private Optional<Map<String, AttributeValue>> read(String orderId) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(pk(orderId))).consistentRead(true)).item();
        return DynamoItems.live(item, clock.instant());
    }

    /** One conditional write of the order item: update and condition expressions, their names and values. */
    private record DynamoWrite(String update, String condition, Map<String, String> names,
                         Map<String, AttributeValue> values) {
    }

    /**
     * {@code write} on the order: alone ({@link #update}) without a line; with one, the order's
     * write and the line as one transaction, which answers {@code after} (the order as the write
     * leaves it, worked out from {@code read}: a transaction answers no values) or, refused, the
     * order as it stands.
     */
    private Change write(OrderAccount read, OrderAccount after, Line line, DynamoWrite write) {
        String orderId = read.order().id();
        if (line == null) {
            return update(orderId, UpdateItemRequest.builder().updateExpression(write.update())
                    .conditionExpression(write.condition()).expressionAttributeNames(write.names())
                    .expressionAttributeValues(write.values()));
        }
        var refused = DynamoTransactions.writeOrRefusals(dynamo, "order.account", List.of(
                TransactWriteItem.builder().update(orderUpdate(orderId, write)).build(),
                requireTrail().line(line.of(read, after))));
        if (refused.isEmpty()) {
            return new Change(true, Optional.of(after));
        }
        if (!refused.containsKey(0)) {
            throw new IllegalStateException("The trail refused a new line");
        }
        return new Change(false, refusedAnswer(orderId, refused.get(0)));
    }

    private Update orderUpdate(String orderId, DynamoWrite write) {
        return Update.builder().tableName(table).key(key(pk(orderId)))
                .updateExpression(write.update()).conditionExpression(write.condition())
                .expressionAttributeNames(write.names()).expressionAttributeValues(write.values())
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build();
    }

    /** The order as a refused write found it, read only when the refusal carries no item. */
    private Optional<OrderAccount> refusedAnswer(String orderId, Map<String, AttributeValue> item) {
        Optional<Map<String, AttributeValue>> now = item != null && !item.isEmpty()
                ? DynamoItems.live(item, clock.instant()) : read(orderId);
        return now.map(DynamoOrderAccounts::account);
    }

    private Line requireLine(Line line) {
        if (line == null) {
            throw new IllegalArgumentException("A back-office change has its trail line");
        }
        requireTrail();
        return line;
    }

    private DynamoAuditTrail requireTrail() {
        if (trail == null) {
            throw new IllegalStateException("These order accounts were built without the back office's trail");
        }
        return trail;
    }

    /**
     * One conditional UpdateItem of the order that answers the order as it stands after it, with
     * no read: the item as written (ReturnValues ALL_NEW), or, when the condition refused it, the
     * item as it is (ReturnValuesOnConditionCheckFailure ALL_OLD). Only a refusal that carries no
     * item (the order is not there, or a stand-in that does not return it) is followed by a read.
     */
    private Change update(String orderId, UpdateItemRequest.Builder request) {
        try {
            var written = dynamo.updateItem(request.tableName(table).key(key(pk(orderId)))
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build()).attributes();
            return new Change(true, DynamoItems.live(written, clock.instant()).map(DynamoOrderAccounts::account));
        } catch (ConditionalCheckFailedException refused) {
            return new Change(false, refusedAnswer(orderId, refused.hasItem() ? refused.item() : null));
        }
    }

    private static String pk(String id) {
        return "ORDER#" + id;
    }

    static OrderAccount account(Map<String, AttributeValue> item) {
        List<Refund> refunds = new ArrayList<>();
        if (item.containsKey("refunds")) {
            item.get("refunds").l().forEach(r -> refunds.add(refund(r.m())));
        }
        return new OrderAccount(DynamoOrderStore.order(item), refunds,
                item.containsKey("dispute") ? dispute(item.get("dispute").m()) : null,
                Boolean.TRUE.equals(DynamoItems.bool(item, "needsAttention").orElse(false)),
                DynamoItems.string(item, "restockedAt").map(Instant::parse).orElse(null),
                item.containsKey("mailsQueued") ? Set.copyOf(item.get("mailsQueued").ss()) : Set.of(),
                item.containsKey(RetentionSchedule.TTL_ATTRIBUTE)
                        ? Long.parseLong(item.get(RetentionSchedule.TTL_ATTRIBUTE).n()) : 0,
                restockedPieces(item));
    }

    /** The {@code restockedPieces} counts: SKU to how many of its pieces went back on sale. */
    private static Map<String, Integer> restockedPieces(Map<String, AttributeValue> item) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (item.containsKey("restockedPieces") && item.get("restockedPieces").hasM()) {
            item.get("restockedPieces").m().forEach((sku, count) -> counts.put(sku, Integer.parseInt(count.n())));
        }
        return counts;
    }

    private static AttributeValue refund(Refund refund) {
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        map.put("stripeRefundId", s(refund.stripeRefundId()));
        map.put("amount", n(refund.amount()));
        map.put("currency", s(refund.currency()));
        put(map, "reason", refund.reason());
        put(map, "note", refund.note());
        map.put("at", s(refund.at().toString()));
        map.put("by", s(refund.by()));
        map.put("restocked", AttributeValue.fromBool(refund.restocked()));
        put(map, "requestKey", refund.requestKey());
        put(map, "failure", refund.failure());
        put(map, "failureReason", refund.failureReason());
        put(map, "failedAt", refund.failedAt() == null ? null : refund.failedAt().toString());
        return AttributeValue.fromM(map);
    }

    private static Refund refund(Map<String, AttributeValue> map) {
        return new Refund(map.get("stripeRefundId").s(), Long.parseLong(map.get("amount").n()), map.get("currency").s(),
                text(map, "reason"), text(map, "note"), Instant.parse(map.get("at").s()), map.get("by").s(),
                Boolean.TRUE.equals(DynamoItems.bool(map, "restocked").orElse(false)), text(map, "requestKey"),
                text(map, "failure"), text(map, "failureReason"), instant(map, "failedAt"));
    }

    private static AttributeValue dispute(Dispute dispute) {
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        map.put("id", s(dispute.id()));
        put(map, "reason", dispute.reason());
        map.put("status", s(dispute.status()));
        map.put("amount", n(dispute.amount()));
        map.put("currency", s(dispute.currency()));
        put(map, "evidenceDueBy", dispute.evidenceDueBy() == null ? null : dispute.evidenceDueBy().toString());
        put(map, "outcome", dispute.outcome());
        put(map, "openedAt", dispute.openedAt() == null ? null : dispute.openedAt().toString());
        put(map, "closedAt", dispute.closedAt() == null ? null : dispute.closedAt().toString());
        return AttributeValue.fromM(map);
    }

    private static Dispute dispute(Map<String, AttributeValue> map) {
        return new Dispute(map.get("id").s(), text(map, "reason"), map.get("status").s(),
                Long.parseLong(map.get("amount").n()), map.get("currency").s(), instant(map, "evidenceDueBy"),
                text(map, "outcome"), instant(map, "openedAt"), instant(map, "closedAt"));
    }

    private static Instant instant(Map<String, AttributeValue> map, String name) {
        String value = text(map, name);
        return value == null ? null : Instant.parse(value);
    }

    private static void put(Map<String, AttributeValue> map, String name, String value) {
        if (value != null) {
            map.put(name, s(value));
        }
    }
}
