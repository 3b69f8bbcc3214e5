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
import shop.core.dynamo.DynamoItems;
import shop.core.retention.RetentionSchedule;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Reservations in the checkouts table, one item {@code RESERVATION#<id>} each: the lines, a
 * map {@code holds} of SKU → pieces actually taken, the status and the Checkout Session id.
 * No personal data: the customer's address goes to Stripe, never here.
 */
public final class DynamoReservationStore implements ReservationStore {
    private static final String TTL = RetentionSchedule.TTL_ATTRIBUTE;
    private static final String PREFIX = "RESERVATION#";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoReservationStore(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public void create(Reservation reservation, long expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(key(pk(reservation.id())));
        item.put("lines", AttributeValue.fromL(reservation.lines().stream()
                .map(line -> AttributeValue.fromM(Map.of("sku", s(line.sku()), "quantity", n(line.quantity()))))
                .toList()));
        item.put("holds", AttributeValue.fromM(Map.of()));
        item.put("status", s(reservation.status().name()));
        item.put("createdAt", s(reservation.createdAt().toString()));
        item.put(TTL, n(expiresAt));
        dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk)").build());
    }

    @Override
    public Optional<Reservation> find(String id) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(pk(id))).consistentRead(true)).item();
        return DynamoItems.live(item, clock.instant()).map(found -> reservation(id, found));
    }

    @Override
    public void markHeld(String id, String sku, int quantity) {
        update(id, "SET holds.#sku = :q", "attribute_exists(pk)",
                Map.of("#sku", sku), Map.of(":q", n(quantity)));
    }

    @Override
    public boolean unhold(String id, String sku) {
        try {
            update(id, "REMOVE holds.#sku", "attribute_exists(holds.#sku)", Map.of("#sku", sku), Map.of());
            return true;
        } catch (ConditionalCheckFailedException notHeld) {
            return false;
        }
    }

    @Override
    public void attachSession(String id, String sessionId) {
        update(id, "SET sessionId = :session", "attribute_exists(pk)", Map.of(), Map.of(":session", s(sessionId)));
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

    @Override
    public void markReleased(String id) {
        try {
            update(id, "SET #status = :released, releasedAt = :now", "#status = :open",
                    Map.of("#status", "status"),
                    Map.of(":released", s(Reservation.Status.RELEASED.name()), ":open", s(Reservation.Status.OPEN.name()),
                            ":now", s(clock.instant().toString())));
        } catch (ConditionalCheckFailedException notOpen) {
            // Already released or sold: a release never undoes a sale.
        }
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

    @Override
    public boolean markSold(String id) {
        try {
            update(id, "SET #status = :sold, soldAt = if_not_exists(soldAt, :now) REMOVE holds",
                    "attribute_exists(pk) AND #status <> :released",
                    Map.of("#status", "status"),
                    Map.of(":sold", s(Reservation.Status.SOLD.name()),
                            ":released", s(Reservation.Status.RELEASED.name()),
                            ":now", s(clock.instant().toString())));
            return true;
        } catch (ConditionalCheckFailedException releasedOrGone) {
            return false;
        }
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
        Map<String, Integer> held = new HashMap<>();
        if (item.containsKey("holds") && item.get("holds").hasM()) {
            item.get("holds").m().forEach((sku, quantity) -> held.put(sku, Integer.parseInt(quantity.n())));
        }
        return new Reservation(id, lines, held,
                Reservation.Status.valueOf(item.get("status").s()),
                Optional.ofNullable(item.get("sessionId")).map(AttributeValue::s),
                Instant.parse(item.get("createdAt").s()));
    }
}
