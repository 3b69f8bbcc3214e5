package shop.core.dynamo;

import java.time.Clock;
import shop.core.mail.SuppressionList;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

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
        var item = dynamo.getItem(b -> b.tableName(table).key(DynamoItems.key("SUPPRESSION#" + addressHash))
                .consistentRead(true)).item();
        return DynamoItems.live(item, clock.instant()).isPresent();
    }
}
