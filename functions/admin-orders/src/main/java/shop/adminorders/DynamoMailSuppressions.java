package shop.adminorders;

import static shop.core.dynamo.DynamoItems.key;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import shop.commerce.orders.OrderIndexes;
import shop.core.dynamo.DynamoItems;
import shop.core.security.AddressHasher;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@link MailSuppressions} on the subscribers table's suppression list: one consistent GetItem of
 * {@code SUPPRESSION#<keyed hash of the address>} (as the SES feedback function writes it), reading its {@code reason}.
 * The list holds no address, only the hash.
 */
final class DynamoMailSuppressions implements MailSuppressions {
    private static final Set<String> UNDELIVERABLE = Set.of(BOUNCE, COMPLAINT);

    private final DynamoDbClient dynamo;
    private final String table;
    private final AddressHasher hasher;
    private final Clock clock;

    DynamoMailSuppressions(DynamoDbClient dynamo, String table, AddressHasher hasher, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.hasher = hasher;
        this.clock = clock;
    }

    @Override
    public Optional<String> undeliverable(String address) {
        return reason("SUPPRESSION#" + OrderIndexes.emailHash(hasher, address));
    }

    private Optional<String> reason(String pk) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(pk)).consistentRead(true)
                .projectionExpression("reason, expiresAt")).item();
        return DynamoItems.live(item, clock.instant()).flatMap(found -> DynamoItems.string(found, "reason"))
                .filter(UNDELIVERABLE::contains);
    }

    /** For SnapStart: the read of an entry no address has, without the address hash key (kept out of the snapshot). */
    void prime() {
        reason("SUPPRESSION#priming-no-such-hash");
    }
}
