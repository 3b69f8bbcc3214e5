package shop.commerce.reservations;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import shop.commerce.catalog.DynamoPieceMove;
import shop.core.dynamo.DynamoItems;
import shop.core.dynamo.DynamoTransactions;
import shop.core.logging.Log;
import shop.core.retention.RetentionSchedule;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Reservations in the checkouts table, one item {@code RESERVATION#<id>} each: the lines, the
 * status and the Checkout Session id, and the stock they hold in the products table. A hold and
 * a release are each one transaction over both tables: the reservation's own write is
 * conditional (it must not exist; it must be open), so a repeat is refused as a whole, and every
 * product's stock changes with it or not at all. No personal data: the customer's address goes
 * to Stripe, never here.
 */
public final class DynamoReservationStore implements ReservationStore {
    private static final String TTL = RetentionSchedule.TTL_ATTRIBUTE;
    private static final String PREFIX = "RESERVATION#";
    /**
     * A client's open checkouts ({@link HoldLimit}): {@code HOLDS#<kind>:<keyed hash>}, with a map
     * {@code open} of reservation id to pieces and a {@code version} that every write moves on.
     */
    private static final String HOLDS = "HOLDS#";
    private static final String OPEN_HOLDS = "open";
    private static final String VERSION = "version";
    /**
     * True on a reservation whose hold counted its pieces in the products' {@code held}: every
     * hold since {@code held} was kept. One written before has none, and its release or sale
     * leaves {@code held} alone (it never counted those pieces).
     */
    static final String HELD_ON_PRODUCT = "heldOnProduct";
    /** Enough for a customer's two tabs racing; more holds of one client at once than that is a script. */
    private static final int HOLD_ATTEMPTS = 3;

    private final DynamoDbClient dynamo;
    private final String table;
    private final String productsTable;
    private final Clock clock;

    public DynamoReservationStore(DynamoDbClient dynamo, String table, String productsTable, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.productsTable = productsTable;
        this.clock = clock;
    }

    /**
     * The reservation first, then one stock decrement per line, then each client's list of open
     * checkouts ({@link HoldLimit}) with this one added. A client's list is read first and pruned
     * of the checkouts that ended (their reservation no longer OPEN, or gone), so nothing has to
     * count it down when a checkout ends; its write is conditional on the version read, so racing
     * holds of one client cannot both pass: the one that lost reads the list again. A failed
     * condition on the reservation means it exists: this very hold, written by an attempt whose
     * answer was lost. A client over its limit is told so before a sold-out line: waiting is what
     * that client has to do first.
     */
    @Override
    public void hold(Reservation reservation, long expiresAt, List<HoldLimit> limits) {
        int pieces = pieces(reservation.lines());
        if (limits.stream().anyMatch(limit -> pieces > limit.pieces())) {
            throw new TooManyHoldsException();
        }
        Map<String, AttributeValue> item = new HashMap<>(key(pk(reservation.id())));
        item.put("lines", AttributeValue.fromL(reservation.lines().stream()
                .map(line -> AttributeValue.fromM(Map.of("sku", s(line.sku()), "quantity", n(line.quantity()))))
                .toList()));
        item.put("status", s(Reservation.Status.OPEN.name()));
        item.put(HELD_ON_PRODUCT, AttributeValue.fromBool(true));
        item.put("createdAt", s(reservation.createdAt().toString()));
        item.put(TTL, n(expiresAt));
        for (int attempt = 1; ; attempt++) {
            Map<String, Boolean> openById = new HashMap<>();
            List<TransactWriteItem> lists = new ArrayList<>();
            for (HoldLimit limit : limits) {
                Optional<TransactWriteItem> list = holds(limit, reservation.id(), pieces, expiresAt, openById);
                if (list.isEmpty()) {
                    return; // listed already: this very hold was written, by an attempt whose answer was lost
                }
                lists.add(list.get());
            }
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(pk)").build()).build());
            for (ReservedLine line : reservation.lines()) {
                writes.add(TransactWriteItem.builder().update(Update.builder().tableName(productsTable)
                        .key(Map.of("sku", s(line.sku())))
                        .updateExpression("SET stock = stock - :q, held = if_not_exists(held, :zero) + :q")
                        .conditionExpression("attribute_exists(sku) AND active = :true AND stock >= :q")
                        .expressionAttributeValues(Map.of(":q", n(line.quantity()), ":true", AttributeValue.fromBool(true),
                                ":zero", n(0)))
                        .build()).build());
            }
            writes.addAll(lists);
            List<Integer> failed = DynamoTransactions.write(dynamo, "hold " + reservation.id(), writes);
            if (failed.isEmpty() || failed.contains(0)) {
                return;
            }
            int firstLimit = 1 + reservation.lines().size();
            boolean listChanged = failed.get(failed.size() - 1) >= firstLimit;
            if (listChanged && attempt < HOLD_ATTEMPTS) {
                continue; // another hold of this client came first: its list is read again, and the limit judged on it
            }
            if (failed.get(0) < firstLimit) {
                throw new SoldOutException(reservation.lines().get(failed.get(0) - 1).sku());
            }
            // The client's list kept changing under it: that many holds of one client at once are past any limit.
            throw new TooManyHoldsException();
        }
    }

    /**
     * The client's list of open checkouts with this one added, written if the list is still the
     * one read; past the limit, a {@link TooManyHoldsException} before anything is written.
     */
    private Optional<TransactWriteItem> holds(HoldLimit limit, String reservationId, int pieces, long expiresAt,
                                              Map<String, Boolean> openById) {
        Map<String, AttributeValue> key = key(HOLDS + limit.key());
        var current = dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
        if (current != null && current.containsKey(OPEN_HOLDS) && current.get(OPEN_HOLDS).m().containsKey(reservationId)) {
            return Optional.empty();
        }
        Map<String, AttributeValue> open = new HashMap<>();
        int heldPieces = 0;
        if (current != null && current.containsKey(OPEN_HOLDS)) {
            for (var entry : current.get(OPEN_HOLDS).m().entrySet()) {
                if (openById.computeIfAbsent(entry.getKey(), this::open)) {
                    open.put(entry.getKey(), entry.getValue());
                    heldPieces += Integer.parseInt(entry.getValue().n());
                }
            }
        }
        if (open.size() >= limit.checkouts() || heldPieces + pieces > limit.pieces()) {
            throw new TooManyHoldsException(limit, List.copyOf(open.keySet()));
        }
        open.put(reservationId, n(pieces));
        AttributeValue version = current == null ? null : current.get(VERSION);
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":open", AttributeValue.fromM(open),
                ":next", n(version == null ? 1 : Long.parseLong(version.n()) + 1), ":ttl", n(expiresAt)));
        if (version != null) {
            values.put(":version", version);
        }
        // Renewed with every hold, so the list outlives every reservation in it.
        return Optional.of(TransactWriteItem.builder().update(Update.builder().tableName(table).key(key)
                .updateExpression("SET #open = :open, #version = :next, #ttl = :ttl")
                .conditionExpression(version == null ? "attribute_not_exists(#version)" : "#version = :version")
                .expressionAttributeNames(Map.of("#open", OPEN_HOLDS, "#version", VERSION, "#ttl", TTL))
                .expressionAttributeValues(values)
                .build()).build());
    }

    /** Whether a reservation still holds its stock: OPEN and not past its time. */
    private boolean open(String id) {
        return find(id).map(found -> found.status() == Reservation.Status.OPEN).orElse(false);
    }

    @Override
    public Optional<Reservation> find(String id) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(pk(id))).consistentRead(true)).item();
        return DynamoItems.live(item, clock.instant()).map(found -> reservation(id, found));
    }

    @Override
    public void attachSession(String id, String sessionId, Reservation.Priced priced) {
        if (priced == null) {
            update(id, "SET sessionId = :session", "attribute_exists(pk)", Map.of(), Map.of(":session", s(sessionId)));
            return;
        }
        update(id, "SET sessionId = :session, pricedSubtotal = :subtotal, pricedShipping = :shipping,"
                        + " pricedCurrency = :currency", "attribute_exists(pk)", Map.of(),
                Map.of(":session", s(sessionId), ":subtotal", n(priced.subtotal()), ":shipping", n(priced.shipping()),
                        ":currency", s(priced.currency())));
    }

    @Override
    public void keepUntil(String id, long expiresAt) {
        try {
            update(id, "SET #ttl = :ttl", "attribute_exists(pk) AND #ttl < :ttl",
                    Map.of("#ttl", TTL), Map.of(":ttl", n(expiresAt)));
        } catch (ConditionalCheckFailedException goneOrLater) {
            // Nothing to keep, or already kept longer.
        }
    }

    /**
     * The status change first, conditional on OPEN, then one write per line: its pieces go from
     * {@code held} back to {@code stock} ({@code stock + held} unchanged), or, for a reservation
     * held before {@code held} was kept, back to {@code stock} alone. A one-of-a-kind piece never
     * ends with {@code stock + held} above 1, as in a restock: each line's write is conditional on
     * it ({@link DynamoPieceMove}). A line refused (the condition answers the product as it stood) is
     * written again without what it cannot do, with the rest of the release: a product the owner
     * deleted meanwhile has nothing to take its piece back (left out); a one-of-a-kind piece on sale
     * already (the owner pressed + before {@code held} was kept, or restocked it) is not given back
     * a second time, its {@code held} still counted down; a product whose {@code held} no longer
     * counts the pieces (written anew meanwhile) gets them back in {@code stock} alone.
     */
    @Override
    public boolean release(String id) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(pk(id))).consistentRead(true)).item();
        Optional<Reservation> found = DynamoItems.live(item, clock.instant()).map(live -> reservation(id, live));
        if (found.isEmpty() || found.get().status() != Reservation.Status.OPEN) {
            return false;
        }
        DynamoPieceMoves moves = new DynamoPieceMoves(productsTable, found.get().lines(),
                heldOnProduct(item) ? DynamoPieceMove.HELD_TO_STOCK : DynamoPieceMove.TO_STOCK);
        while (true) {
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(end(id, Reservation.Status.RELEASED, "releasedAt"));
            writes.addAll(moves.writes());
            var refused = DynamoTransactions.writeOrRefusals(dynamo, "release " + id, writes);
            if (refused.isEmpty()) {
                return true;
            }
            if (refused.containsKey(0)) {
                // Released or sold by someone else meanwhile (or by this call's own attempt whose answer was lost).
                return false;
            }
            for (DynamoPieceMoves.Refused line : moves.refused(refused, 1)) {
                Log.warn(switch (line.refusal()) {
                    case DELETED -> "released_piece_of_deleted_product";
                    case ONE_OF_A_KIND_ON_SALE -> "release_skipped_one_of_a_kind_on_sale";
                    case HELD_NOT_COUNTED -> "release_held_not_counted";
                }, Map.of("reservationId", id, "sku", line.sku()));
            }
        }
    }

    /** A reservation's end: OPEN → {@code to}, at {@code atField}; its condition refuses one that ended already. */
    private TransactWriteItem end(String id, Reservation.Status to, String atField) {
        return TransactWriteItem.builder().update(Update.builder().tableName(table).key(key(pk(id)))
                .updateExpression("SET #status = :to, #at = :now")
                .conditionExpression("#status = :open")
                .expressionAttributeNames(Map.of("#status", "status", "#at", atField))
                .expressionAttributeValues(Map.of(":to", s(to.name()), ":open", s(Reservation.Status.OPEN.name()),
                        ":now", s(clock.instant().toString())))
                .build()).build();
    }

    private static boolean heldOnProduct(Map<String, AttributeValue> reservation) {
        AttributeValue mark = reservation.get(HELD_ON_PRODUCT);
        return mark != null && Boolean.TRUE.equals(mark.bool());
    }

    /**
     * A scan of the whole table: it holds only reservations, each kept 4 days, and this runs every
     * 15 minutes, so a small shop's scan reads a few thousand items at most. The time is compared
     * here, not in the filter: {@code createdAt} strings differ in length by their fraction of a second.
     */
    @Override
    public List<String> openWithoutSession(Instant createdBefore) {
        List<String> ids = new ArrayList<>();
        var pages = dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)
                .filterExpression("begins_with(pk, :reservation) AND #status = :open AND attribute_not_exists(sessionId)")
                .projectionExpression("pk, createdAt")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":reservation", s(PREFIX), ":open", s(Reservation.Status.OPEN.name()))));
        for (var item : pages.items()) {
            if (Instant.parse(item.get("createdAt").s()).isBefore(createdBefore)) {
                ids.add(item.get("pk").s().substring(PREFIX.length()));
            }
        }
        return ids;
    }

    /**
     * A paid order's sale of the reservation, read once (its lines never change) for the
     * transaction that writes the order ({@link DynamoSale#writes}).
     */
    public DynamoSale sale(String id) {
        return sale(id, find(id));
    }

    /**
     * The sale of {@code asRead}, the reservation as the caller read it ({@link #find}) in this
     * invocation: its lines and its mark never change, and the sale's status condition refuses a
     * reservation that ended since, so it need not be read again.
     */
    public DynamoSale sale(Reservation asRead) {
        return sale(asRead.id(), Optional.of(asRead));
    }

    private DynamoSale sale(String id, Optional<Reservation> found) {
        boolean counted = found.isPresent() && found.get().status() == Reservation.Status.OPEN && found.get().heldOnProduct();
        return new DynamoSale(end(id, Reservation.Status.SOLD, "soldAt"), new DynamoPieceMoves(productsTable,
                counted ? found.get().lines() : List.of(), DynamoPieceMove.OUT_OF_HELD));
    }

    /**
     * The reservation's part of a paid order's transaction: OPEN → SOLD, whose condition fails
     * when the stock already went back (an expiry raced the payment) or the record is gone, and,
     * for a reservation whose hold counted its pieces in {@code held}, one {@code held - q} per
     * line ({@link DynamoPieceMove#OUT_OF_HELD}); the status's condition makes the writes of a
     * reservation that ended meanwhile fail as a whole. Its clients' lists of open checkouts need
     * no write: a sold reservation is no longer OPEN, so their next hold leaves it out.
     */
    public static final class DynamoSale {
        private final TransactWriteItem status;
        private final DynamoPieceMoves held;

        private DynamoSale(TransactWriteItem status, DynamoPieceMoves held) {
            this.status = status;
            this.held = held;
        }

        /** The status first, then the {@code held} of each product not left out. */
        public List<TransactWriteItem> writes() {
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(status);
            writes.addAll(held.writes());
            return writes;
        }

        /**
         * Leaves out of {@link #writes} each product that refused its {@code held} write (deleted
         * since the hold, or its count lost), answering their SKUs: {@code refused} by index into
         * the transaction, in which {@link #writes} began at {@code at}.
         */
        public List<String> leaveOut(Map<Integer, Map<String, AttributeValue>> refused, int at) {
            return held.refused(refused, at + 1).stream().map(DynamoPieceMoves.Refused::sku).toList();
        }
    }

    private static int pieces(List<ReservedLine> lines) {
        return lines.stream().mapToInt(ReservedLine::quantity).sum();
    }

    private void update(String id, String expression, String condition, Map<String, String> names,
                        Map<String, AttributeValue> values) {
        var request = UpdateItemRequest.builder().tableName(table).key(key(pk(id)))
                .updateExpression(expression).conditionExpression(condition);
        if (!names.isEmpty()) {
            request.expressionAttributeNames(names);
        }
        if (!values.isEmpty()) {
            request.expressionAttributeValues(values);
        }
        dynamo.updateItem(request.build());
    }

    private static String pk(String id) {
        return PREFIX + id;
    }

    private static Reservation reservation(String id, Map<String, AttributeValue> item) {
        List<ReservedLine> lines = item.get("lines").l().stream()
                .map(line -> new ReservedLine(line.m().get("sku").s(), Integer.parseInt(line.m().get("quantity").n())))
                .toList();
        Reservation.Priced priced = item.containsKey("pricedCurrency") ? new Reservation.Priced(
                Long.parseLong(item.get("pricedSubtotal").n()), Long.parseLong(item.get("pricedShipping").n()),
                item.get("pricedCurrency").s()) : null;
        return new Reservation(id, lines, Reservation.Status.valueOf(item.get("status").s()),
                Optional.ofNullable(item.get("sessionId")).map(AttributeValue::s),
                Instant.parse(item.get("createdAt").s()), priced, heldOnProduct(item));
    }
}
