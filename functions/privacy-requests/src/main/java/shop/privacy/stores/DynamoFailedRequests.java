package shop.privacy.stores;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import shop.core.admin.AdminAction;
import shop.core.dynamo.DynamoAuditTrail;
import shop.core.dynamo.DynamoTransactions;
import shop.core.snapstart.Priming;
import shop.privacy.AuditEntry;
import shop.privacy.FailedRequests;
import shop.privacy.RequestStatus;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The claim as one {@code TransactWriteItems}: the request's UpdateItem, conditional on its
 * status being FAILED, or VERIFIED with its run's start ({@code verifiedAt}, and
 * {@code retriedAt} once claimed before) no later than the stalled-before time, that makes it
 * VERIFIED, notes {@code retriedAt} and appends the entry to its trail, and the
 * back office's line ({@link DynamoAuditTrail#line}). A function stopped after it leaves a
 * claimed request with both trails saying who claimed it; one stopped before leaves nothing.
 */
public final class DynamoFailedRequests implements FailedRequests {
    private final DynamoDbClient dynamo;
    private final String table;
    private final DynamoAuditTrail trail;

    public DynamoFailedRequests(DynamoDbClient dynamo, String table, DynamoAuditTrail trail) {
        this.dynamo = dynamo;
        this.table = table;
        this.trail = trail;
    }

    @Override
    public boolean claimForRetry(String requestId, Instant at, Instant stalledBefore, AuditEntry entry,
                                 AdminAction line) {
        return DynamoTransactions.write(dynamo, "privacy-retry",
                List.of(claim(requestId, at, stalledBefore, entry), trail.line(line))).isEmpty();
    }

    private TransactWriteItem claim(String requestId, Instant at, Instant stalledBefore, AuditEntry entry) {
        // The times are stored as fixed-width UTC text, so DynamoDB's string order is time order.
        // The claim moves retriedAt to now: a second press, by the same condition, finds the run fresh.
        return TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(key("REQUEST#" + requestId))
                .updateExpression("SET #status = :verified, retriedAt = :at,"
                        + " audit = list_append(if_not_exists(audit, :empty), :entry)")
                .conditionExpression("#status = :failed OR (#status = :verified AND verifiedAt <= :stalled"
                        + " AND (attribute_not_exists(retriedAt) OR retriedAt <= :stalled))")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(
                        ":verified", s(RequestStatus.VERIFIED.name()),
                        ":failed", s(RequestStatus.FAILED.name()),
                        ":stalled", s(DynamoRequestStore.time(stalledBefore)),
                        ":at", s(DynamoRequestStore.time(at)),
                        ":empty", AttributeValue.fromL(List.of()),
                        ":entry", AttributeValue.fromL(List.of(DynamoRequestStore.auditItem(entry)))))
                .build()).build();
    }

    /** For SnapStart: the claim's transaction, stopped before it is sent (nothing to claim, nothing written). */
    public void prime() {
        Priming.unsent(override -> dynamo.transactWriteItems(b -> b.transactItems(List.of(
                claim("00000000-0000-0000-0000-000000000000", Instant.EPOCH, Instant.EPOCH,
                        AuditEntry.of(Instant.EPOCH, "priming", ""))))
                .overrideConfiguration(override)));
    }
}
