package shop.local.server;

import java.util.Map;
import shop.local.stack.LocalAws;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Every test request reaches the local API server from 127.0.0.1, so the per-IP hourly limits
 * (20 signups, 20 privacy requests, 120 page views a minute) would be shared by every class of one test run, and which
 * class hits them would depend on the order the classes run in. A class that signs people up
 * or files privacy requests calls {@link #startFresh} first, as if it came from its own address.
 */
final class SourceIpLimits {
    private SourceIpLimits() {
    }

    /** Forgets the per-IP counters ({@code RATE#ip:…}, {@code RATE#privacy:ip:…}, {@code RATE#account:ip:…}, {@code RATE#visits:ip:…}); per-address limits stay. */
    static void startFresh(LocalAws aws) {
        forget(aws, "RATE#ip:", "RATE#privacy:ip:", "RATE#account:ip:", "RATE#visits:ip:");
    }

    /** Forgets every counter whose key starts with one of {@code prefixes}. */
    static void forget(LocalAws aws, String... prefixes) {
        String table = aws.physicalName("SubscribersTable");
        for (var page : aws.dynamo().scanPaginator(ScanRequest.builder().tableName(table).build())) {
            for (Map<String, AttributeValue> item : page.items()) {
                String pk = item.get("pk").s();
                if (java.util.Arrays.stream(prefixes).anyMatch(pk::startsWith)) {
                    aws.dynamo().deleteItem(b -> b.tableName(table).key(Map.of("pk", item.get("pk"))));
                }
            }
        }
    }
}
