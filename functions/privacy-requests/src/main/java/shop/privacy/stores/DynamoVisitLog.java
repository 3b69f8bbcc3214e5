package shop.privacy.stores;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import shop.core.dynamo.DynamoItems;
import shop.privacy.VisitLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/** The visits table's {@code LOG#} lines through its index {@code bySourceIp} (template.yaml). */
public final class DynamoVisitLog implements VisitLog {
    static final String BY_SOURCE_IP = "bySourceIp";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoVisitLog(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public List<Map<String, Object>> lines(Set<String> sourceIps) {
        List<Map<String, AttributeValue>> lines = find(sourceIps);
        lines.sort(Comparator.comparing(line -> DynamoItems.string(line, "at").orElse("")));
        return DynamoValues.items(lines);
    }

    @Override
    public int erase(Set<String> sourceIps) {
        int erased = 0;
        for (var line : find(sourceIps)) {
            dynamo.deleteItem(b -> b.tableName(table).key(key(line.get("pk").s())));
            erased++;
        }
        return erased;
    }

    private List<Map<String, AttributeValue>> find(Set<String> sourceIps) {
        Instant now = clock.instant();
        List<Map<String, AttributeValue>> lines = new ArrayList<>();
        for (String ip : sourceIps) {
            if (ip == null || ip.isBlank()) {
                continue;
            }
            var query = QueryRequest.builder().tableName(table).indexName(BY_SOURCE_IP)
                    .keyConditionExpression("sourceIp = :ip")
                    .expressionAttributeValues(Map.of(":ip", s(ip)))
                    .build();
            for (var page : dynamo.queryPaginator(query)) {
                page.items().stream()
                        .filter(line -> line.get("pk").s().startsWith("LOG#") && !DynamoItems.expired(line, now))
                        .forEach(lines::add);
            }
        }
        return lines;
    }
}
