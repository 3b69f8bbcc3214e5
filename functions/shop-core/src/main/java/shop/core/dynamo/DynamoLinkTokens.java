package shop.core.dynamo;

import static shop.core.dynamo.DynamoItems.s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The newsletter's link tokens ({@code TOKEN#<sha256>} in the subscribers table: a signup's
 * confirm and unsubscribe links, each campaign mail's unsubscribe link) by the keyed hash of the
 * address they name, through template.yaml's sparse index TokensByAddress (only token items carry
 * {@code addressHash}): a Query whose cost follows this address's tokens, never the table's size.
 * Nothing else lists them: the subscriber item keeps no list that would grow with every mail.
 *
 * <p>A global secondary index is eventually consistent: a token written a moment ago (typically
 * well under a second) may not be in it yet. Callers say what that means for them.
 */
public final class DynamoLinkTokens {
    public static final String INDEX = "TokensByAddress";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Integer pageSize;

    public DynamoLinkTokens(DynamoDbClient dynamo, String table) {
        this(dynamo, table, null);
    }

    /** {@code pageSize} items a call at most (tests); by default DynamoDB's 1 MB pages. */
    DynamoLinkTokens(DynamoDbClient dynamo, String table, Integer pageSize) {
        this.dynamo = dynamo;
        this.table = table;
        this.pageSize = pageSize;
    }

    /** Every token item naming the hash, whole (expired ones too: callers decide), over all pages. */
    public List<Map<String, AttributeValue>> byAddress(String addressHash) {
        List<Map<String, AttributeValue>> tokens = new ArrayList<>();
        var query = QueryRequest.builder().tableName(table).indexName(INDEX)
                .keyConditionExpression("addressHash = :hash")
                .expressionAttributeValues(Map.of(":hash", s(addressHash)))
                .limit(pageSize)
                .build();
        for (var page : dynamo.queryPaginator(query)) {
            tokens.addAll(page.items());
        }
        return tokens;
    }
}
