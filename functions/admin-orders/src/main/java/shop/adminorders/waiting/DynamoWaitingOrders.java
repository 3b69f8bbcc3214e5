package shop.adminorders.waiting;

import static shop.core.dynamo.DynamoItems.s;
import static shop.core.dynamo.DynamoItems.text;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import shop.commerce.orders.OrderIndexes;
import shop.commerce.orders.OrderStatus;
import shop.core.dynamo.DynamoItems;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * {@link WaitingOrders} on the orders table's indexes: {@code byStatus} forwards (oldest first) and
 * {@code byOpenDispute} forwards (soonest deadline first, none last), each at most
 * {@link #MAX_PAGES} Query pages and the orders asked for. The projection reads only what the mail
 * shows (never the customer's name the indexes also hold). Never a Scan.
 */
public final class DynamoWaitingOrders implements WaitingOrders {
    /** Each page is cut at 1 MB or the orders still wanted; a handful of pages reads any list the mail wants. */
    static final int MAX_PAGES = 3;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoWaitingOrders(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public Listing oldest(OrderStatus status, int atMost) {
        return read(byStatus(status.name()), atMost);
    }

    @Override
    public Listing openDisputes(int atMost) {
        return read(openDisputes(OrderIndexes.OPEN), atMost);
    }

    /** Both Queries, on partitions no order is in: the read path loaded before the snapshot, no order in it. */
    void prime() {
        read(byStatus("PRIMING_NO_SUCH_STATUS"), 1);
        read(openDisputes("PRIMING_NEVER_OPEN"), 1);
    }

    private QueryRequest.Builder byStatus(String status) {
        return QueryRequest.builder().tableName(table).indexName(OrderIndexes.BY_STATUS)
                .keyConditionExpression("#status = :status")
                .projectionExpression("pk, orderNumber, createdAt")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":status", s(status)));
    }

    private QueryRequest.Builder openDisputes(String open) {
        return QueryRequest.builder().tableName(table).indexName(OrderIndexes.BY_OPEN_DISPUTE)
                .keyConditionExpression("#open = :open")
                .projectionExpression("pk, orderNumber, createdAt, dispute, expiresAt")
                .expressionAttributeNames(Map.of("#open", OrderIndexes.DISPUTE_OPEN))
                .expressionAttributeValues(Map.of(":open", s(open)));
    }

    /**
     * Forwards through one partition until {@code atMost} live orders are read, the partition ends or
     * {@link #MAX_PAGES} pages are read; {@code more} when it holds more than were read (one order more
     * is asked for, so a list of exactly {@code atMost} is not taken for a longer one). An order past
     * its expiry (TTL deletes within days, not at the second) is left out.
     */
    private Listing read(QueryRequest.Builder query, int atMost) {
        Instant now = clock.instant();
        List<Order> orders = new ArrayList<>();
        Map<String, AttributeValue> next = null;
        int pages = 0;
        do {
            query.limit(atMost + 1 - orders.size());
            if (next != null) {
                query.exclusiveStartKey(next);
            }
            QueryResponse page = dynamo.query(query.scanIndexForward(true).build());
            pages++;
            for (var item : page.items()) {
                if (!DynamoItems.expired(item, now)) {
                    orders.add(order(item));
                }
            }
            next = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (next != null && orders.size() <= atMost && pages < MAX_PAGES);
        if (orders.size() > atMost) {
            return new Listing(orders.subList(0, atMost), true);
        }
        return new Listing(orders, next != null);
    }

    private static Order order(Map<String, AttributeValue> item) {
        WaitingOrders.Dispute dispute = null;
        if (item.containsKey("dispute") && item.get("dispute").hasM()) {
            Map<String, AttributeValue> d = item.get("dispute").m();
            AttributeValue amount = d.get("amount");
            dispute = new WaitingOrders.Dispute(text(d, "reason"), amount == null || amount.n() == null ? 0
                    : Long.parseLong(amount.n()), text(d, "currency"), instant(text(d, "evidenceDueBy")));
        }
        return new Order(item.get("pk").s().substring("ORDER#".length()), text(item, "orderNumber"),
                instant(text(item, "createdAt")), dispute);
    }

    private static Instant instant(String iso) {
        if (iso == null) {
            return null;
        }
        try {
            return Instant.parse(iso);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
