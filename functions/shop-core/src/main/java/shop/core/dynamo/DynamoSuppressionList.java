package shop.core.dynamo;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import shop.core.mail.SuppressionList;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The suppression list in the subscribers table: one item {@code SUPPRESSION#<address hash>} per address. */
public final class DynamoSuppressionList implements SuppressionList {
    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoSuppressionList(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public boolean suppressed(String addressHash) {
        return entry(addressHash).isPresent();
    }

    /**
     * Why the address is on the list, as its entry says ({@code reason}: an unsubscribe, an erasure, a bounce, a
     * complaint...); empty when it is not on it.
     */
    public Optional<String> reason(String addressHash) {
        return entry(addressHash).flatMap(item -> DynamoItems.string(item, "reason"));
    }

    private Optional<Map<String, AttributeValue>> entry(String addressHash) {
        var item = dynamo.getItem(b -> b.tableName(table).key(DynamoItems.key("SUPPRESSION#" + addressHash))
                .consistentRead(true)).item();
        return DynamoItems.live(item, clock.instant());
    }
}
