package shop.adminorders;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import shop.commerce.orders.OrderIndexes;
import shop.core.dynamo.DynamoSuppressionList;
import shop.core.security.AddressHasher;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@link MailSuppressions} on the subscribers table's suppression list ({@link DynamoSuppressionList}, as the SES
 * feedback function writes it): the entry of the keyed hash of the address, and its {@code reason}. The list holds no
 * address, only the hash.
 */
final class DynamoMailSuppressions implements MailSuppressions {
    private static final Set<String> UNDELIVERABLE = Set.of(BOUNCE, COMPLAINT);

    private final DynamoSuppressionList list;
    private final AddressHasher hasher;

    DynamoMailSuppressions(DynamoDbClient dynamo, String table, AddressHasher hasher, Clock clock) {
        this.list = new DynamoSuppressionList(dynamo, table, clock);
        this.hasher = hasher;
    }

    @Override
    public Optional<String> undeliverable(String address) {
        return list.reason(OrderIndexes.emailHash(hasher, address)).filter(UNDELIVERABLE::contains);
    }

    /** For SnapStart: the read of an entry no address has, without the address hash key (kept out of the snapshot). */
    void prime() {
        list.reason("priming-no-such-hash");
    }
}
