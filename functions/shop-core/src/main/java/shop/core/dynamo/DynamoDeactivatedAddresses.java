package shop.core.dynamo;

import java.time.Clock;
import shop.core.email.EmailAddress;
import shop.core.privacy.DeactivatedAddresses;
import shop.core.security.AddressHasher;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Deactivation markers in the subscribers table, next to the suppression list: one item
 * {@code DEACTIVATED#<keyed hash of the address>} per address, without a TTL (it lasts until a
 * reactivation or an erasure removes it).
 */
public final class DynamoDeactivatedAddresses implements DeactivatedAddresses {
    public static final String KEY_PREFIX = "DEACTIVATED#";

    private final DynamoDbClient dynamo;
    private final String table;
    private final AddressHasher hasher;
    private final Clock clock;

    public DynamoDeactivatedAddresses(DynamoDbClient dynamo, String table, AddressHasher hasher, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.hasher = hasher;
        this.clock = clock;
    }

    @Override
    public boolean deactivated(EmailAddress address) {
        var item = dynamo.getItem(b -> b.tableName(table).key(DynamoItems.key(KEY_PREFIX + hasher.hash(address)))
                .consistentRead(true)).item();
        return DynamoItems.live(item, clock.instant()).isPresent();
    }
}
