package shop.privacy.stores;

import static shop.core.dynamo.DynamoItems.s;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import shop.core.aws.AwsClients;
import shop.core.aws.SsmSecureParameters;
import shop.core.config.Env;
import shop.core.security.AddressHasher;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * After a point-in-time restore (docs/restore.md): erases again, in the restored subscribers and
 * orders tables, everyone whose erasure request was completed after the restore point, as the
 * privacy audit trail records it (the live PrivacyRequestsTable: type delete, status COMPLETED,
 * completedAt, and the keyed hash of the address, which is all a closed request keeps).
 * Erasures completed before the restore point are already in the restored data and are left
 * alone: the person may have subscribed again since, and that must stand.
 *
 * <p>Each step is the erasure's own idempotent write (suppression entry with reason erasure and
 * the original time, subscriber and link tokens deleted, orders anonymised by the keyed hash),
 * so running it twice changes nothing more. Stripe customers and export files are not in a
 * restored table and are not touched.
 *
 * <pre>AWS_REGION=eu-west-1 ADDRESS_HASH_KEY_PARAMETER=/jewelry-shop/address-hash-key \
 *   java -cp functions/privacy-requests/target/privacy-requests.jar shop.privacy.stores.DynamoErasureReplay \
 *   &lt;PrivacyRequestsTable&gt; &lt;restored SubscribersTable&gt; &lt;restored OrdersTable&gt; &lt;CheckoutsTable&gt; &lt;restore point, ISO-8601&gt;</pre>
 */
public final class DynamoErasureReplay {
    /** One completed erasure, as the audit trail keeps it. */
    public record Erasure(String requestId, String addressHash, Instant completedAt) {}

    /** What a run did: the erasures it re-applied and the orders it anonymised again. */
    public record Result(List<Erasure> erasures, int subscriberItemsErased, int ordersAnonymised,
                         int ordersKeepingShippingUntilShipped) {}

    private final DynamoDbClient dynamo;
    private final String privacyTable;
    private final DynamoSubscriberRecords subscribers;
    private final DynamoOrderRecords orders;

    public DynamoErasureReplay(DynamoDbClient dynamo, String privacyTable, String subscribersTable, String ordersTable,
                           String checkoutsTable, AddressHasher hasher, Clock clock) {
        this.dynamo = dynamo;
        this.privacyTable = privacyTable;
        this.subscribers = new DynamoSubscriberRecords(dynamo, subscribersTable, clock);
        this.orders = new DynamoOrderRecords(dynamo, ordersTable, checkoutsTable, hasher, clock);
    }

    public static void main(String[] args) {
        if (args.length != 5) {
            System.err.println("usage: java ... shop.privacy.stores.DynamoErasureReplay <PrivacyRequestsTable> "
                    + "<SubscribersTable> <OrdersTable> <CheckoutsTable> <restore point, e.g. 2026-12-01T09:30:00Z>");
            System.exit(2);
        }
        Env env = Env.system();
        var aws = new AwsClients(env);
        var hasher = AddressHasher.fromEnvironment(env, new SsmSecureParameters(aws.ssm()));
        var result = new DynamoErasureReplay(aws.dynamo(), args[0], args[1], args[2], args[3], hasher, Clock.systemUTC())
                .run(Instant.parse(args[4]));
        for (Erasure erasure : result.erasures()) {
            System.out.println("re-applied erasure " + erasure.requestId() + " completed " + erasure.completedAt());
        }
        System.out.printf("%d erasure(s) re-applied: %d subscriber item(s) erased, %d order(s) anonymised"
                        + " (%d of them still to ship keep name and shipping address until shipped)%n",
                result.erasures().size(), result.subscriberItemsErased(), result.ordersAnonymised(),
                result.ordersKeepingShippingUntilShipped());
    }

    public Result run(Instant restorePoint) {
        List<Erasure> erasures = completedSince(restorePoint);
        int subscriberItems = 0;
        int anonymised = 0;
        int keptToShip = 0;
        for (Erasure erasure : erasures) {
            subscriberItems += subscribers.erase(erasure.addressHash(), erasure.completedAt()).items();
            var erased = orders.anonymiseByHash(erasure.addressHash(), erasure.completedAt());
            anonymised += erased.orders().size();
            keptToShip += erased.keptToShip().size();
        }
        return new Result(erasures, subscriberItems, anonymised, keptToShip);
    }

    /**
     * The erasures completed at or after {@code restorePoint}, oldest first. A Scan with a filter:
     * a one-off maintenance step run by hand, never a request path.
     */
    List<Erasure> completedSince(Instant restorePoint) {
        List<Erasure> erasures = new ArrayList<>();
        var scan = ScanRequest.builder().tableName(privacyTable)
                .filterExpression("begins_with(pk, :request) AND #type = :delete AND #status = :completed AND completedAt >= :since")
                .expressionAttributeNames(Map.of("#type", "type", "#status", "status"))
                .expressionAttributeValues(Map.of(":request", s("REQUEST#"), ":delete", s("delete"),
                        ":completed", s("COMPLETED"), ":since", s(DynamoRequestStore.time(restorePoint))))
                .consistentRead(true).build();
        for (var page : dynamo.scanPaginator(scan)) {
            for (var item : page.items()) {
                erasures.add(new Erasure(item.get("requestId").s(), item.get("addressHash").s(),
                        Instant.parse(item.get("completedAt").s())));
            }
        }
        erasures.sort(Comparator.comparing(Erasure::completedAt));
        return erasures;
    }
}
