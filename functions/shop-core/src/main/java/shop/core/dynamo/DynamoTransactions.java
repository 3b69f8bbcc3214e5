package shop.core.dynamo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@code TransactWriteItems}: every operation is written, or none is. A transaction cancelled
 * because a condition failed answers which operations failed theirs, for the caller to turn into
 * its domain's answer; one cancelled for any other reason (another transaction on the same item,
 * throttling) is thrown, and the one error mapping reads it as temporary.
 */
public final class DynamoTransactions {
    /** The cancellation reason of an operation whose condition failed. */
    public static final String CONDITION_FAILED = "ConditionalCheckFailed";

    private DynamoTransactions() {
    }

    /**
     * Writes {@code items} as one transaction. The client request token is derived from
     * {@code step} and the request itself, so that a retry of the same request within ten
     * minutes (the SDK's own, after an answer that never came) is not applied twice by DynamoDB;
     * callers still make every operation conditional, because a token is not a guard against a
     * retry that builds its request again.
     *
     * @return the indexes (into {@code items}) of the operations whose condition failed; empty
     *         when the transaction was written
     */
    public static List<Integer> write(DynamoDbClient dynamo, String step, List<TransactWriteItem> items) {
        return List.copyOf(writeOrRefusals(dynamo, step, items).keySet());
    }

    /**
     * As {@link #write}, answering for each operation whose condition failed (by index, in order)
     * the item as it stood, when the operation asked for it with
     * {@code ReturnValuesOnConditionCheckFailure ALL_OLD} (empty otherwise, and when there is no item).
     */
    public static Map<Integer, Map<String, AttributeValue>> writeOrRefusals(DynamoDbClient dynamo, String step,
                                                                            List<TransactWriteItem> items) {
        String token = UUID.nameUUIDFromBytes((step + "\n" + items).getBytes(StandardCharsets.UTF_8)).toString();
        try {
            dynamo.transactWriteItems(b -> b.transactItems(items).clientRequestToken(token));
            return Map.of();
        } catch (TransactionCanceledException e) {
            Map<Integer, Map<String, AttributeValue>> refused = new LinkedHashMap<>();
            for (int i : conditionFailures(e)) {
                CancellationReason reason = e.cancellationReasons().get(i);
                refused.put(i, reason.hasItem() ? reason.item() : Map.of());
            }
            if (refused.isEmpty()) {
                throw e;
            }
            return refused;
        }
    }

    /** The indexes of the operations that failed their condition (none for a conflict or throttling). */
    public static List<Integer> conditionFailures(TransactionCanceledException e) {
        List<Integer> failed = new ArrayList<>();
        List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
        for (int i = 0; i < reasons.size(); i++) {
            if (CONDITION_FAILED.equals(reasons.get(i).code())) {
                failed.add(i);
            }
        }
        return failed;
    }
}
