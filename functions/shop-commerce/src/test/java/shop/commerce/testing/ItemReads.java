package shop.commerce.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;

/**
 * An SDK execution interceptor that notes every read a {@link DynamoDbClient} sends (GetItem,
 * BatchGetItem, TransactGetItems, Query, Scan): its operation, table and, for the reads by key,
 * the item's {@code pk}. Added to a test's own client
 * ({@code overrideConfiguration(o -> o.addExecutionInterceptor(reads))}), it counts what an
 * adapter really asks of the table, through the real SDK, against the stand-in.
 */
public final class ItemReads implements ExecutionInterceptor {
    private static final Set<String> READS = Set.of("GetItem", "BatchGetItem", "TransactGetItems", "Query", "Scan");

    /** One read: a Query or a Scan has no {@code pk}. */
    public record Read(String operation, String table, String pk) {
    }

    private final List<Read> reads = new ArrayList<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (!READS.contains(operation)) {
            return;
        }
        List<Read> these = new ArrayList<>();
        var request = context.request();
        if (request instanceof GetItemRequest get) {
            these.add(new Read(operation, get.tableName(), pk(get.key())));
        } else if (request instanceof BatchGetItemRequest batch) {
            batch.requestItems().forEach((table, keys) -> keys.keys().forEach(key -> these.add(new Read(operation, table, pk(key)))));
        } else if (request instanceof TransactGetItemsRequest transact) {
            transact.transactItems().forEach(item -> these.add(new Read(operation, item.get().tableName(), pk(item.get().key()))));
        } else if (request instanceof QueryRequest query) {
            these.add(new Read(operation, query.tableName(), null));
        } else if (request instanceof ScanRequest scan) {
            these.add(new Read(operation, scan.tableName(), null));
        }
        synchronized (this) {
            reads.addAll(these);
        }
    }

    /** The reads of {@code table}: every one of its item {@code pk}, and every Query or Scan of it. */
    public synchronized List<Read> of(String table, String pk) {
        return reads.stream().filter(r -> table.equals(r.table()) && (r.pk() == null || r.pk().equals(pk))).toList();
    }

    /** Every read of {@code table}, whatever its key. */
    public synchronized List<Read> of(String table) {
        return reads.stream().filter(r -> table.equals(r.table())).toList();
    }

    /** Forgets what was counted so far. */
    public synchronized void clear() {
        reads.clear();
    }

    private static String pk(Map<String, AttributeValue> key) {
        AttributeValue pk = key.get("pk");
        return pk == null ? null : pk.s();
    }
}
