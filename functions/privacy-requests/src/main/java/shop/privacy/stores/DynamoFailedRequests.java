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
 * status being FAILED, that makes it VERIFIED and appends the entry to its trail, and the
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
    public boolean claimForRetry(String requestId, Instant at, AuditEntry entry, AdminAction line) {
        return DynamoTransactions.write(dynamo, "privacy-retry", List.of(claim(requestId, at, entry), trail.line(line)))
                .isEmpty();
    }

    private TransactWriteItem claim(String requestId, Instant at, AuditEntry entry) {
        return TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(key("REQUEST#" + requestId))
                .updateExpression("SET #status = :to, retriedAt = :at,"
                        + " audit = list_append(if_not_exists(audit, :empty), :entry)")
                .conditionExpression("#status = :from")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(
                        ":to", s(RequestStatus.VERIFIED.name()),
                        ":from", s(RequestStatus.FAILED.name()),
                        ":at", s(DynamoRequestStore.time(at)),
                        ":empty", AttributeValue.fromL(List.of()),
                        ":entry", AttributeValue.fromL(List.of(DynamoRequestStore.auditItem(entry)))))
                .build()).build();
    }

    /** For SnapStart: the claim's transaction, stopped before it is sent (nothing to claim, nothing written). */
    public void prime() {
        Priming.unsent(override -> dynamo.transactWriteItems(b -> b.transactItems(List.of(
                claim("00000000-0000-0000-0000-000000000000", Instant.EPOCH,
                        AuditEntry.of(Instant.EPOCH, "priming", ""))))
                .overrideConfiguration(override)));
    }
}
