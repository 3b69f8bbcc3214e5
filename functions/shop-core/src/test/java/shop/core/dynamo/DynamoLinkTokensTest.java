package shop.core.dynamo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static shop.core.dynamo.DynamoItems.s;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;

/** An address's link tokens through the subscribers table's sparse index, on the local stack. */
@ExtendWith(LocalAwsExtension.class)
class DynamoLinkTokensTest {

    @Test
    void everyPageOfTheAddresssTokensAndNothingElse(LocalAws aws) {
        String table = aws.physicalName("SubscribersTable");
        String hash = UUID.randomUUID().toString().replace("-", "");
        String other = hash + "x";
        Set<String> mine = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            String pk = "TOKEN#" + i + hash;
            mine.add(pk);
            aws.dynamo().putItem(b -> b.tableName(table).item(Map.of("pk", s(pk),
                    "purpose", s("UNSUBSCRIBE"), "addressHash", s(hash))));
        }
        aws.dynamo().putItem(b -> b.tableName(table).item(Map.of("pk", s("TOKEN#o" + other),
                "purpose", s("UNSUBSCRIBE"), "addressHash", s(other))));
        // The subscriber item names the address in its key only: not in the index.
        aws.dynamo().putItem(b -> b.tableName(table).item(Map.of("pk", s("SUBSCRIBER#" + hash), "status", s("CONFIRMED"))));
        List<String> calls = new CopyOnWriteArrayList<>();

        var found = new DynamoLinkTokens(aws.dynamo(calls::add), table, 3).byAddress(hash);

        assertEquals(mine, found.stream().map(item -> item.get("pk").s()).collect(Collectors.toSet()));
        assertEquals(mine.size(), found.size(), "each once: " + found);
        assertEquals("UNSUBSCRIBE", found.get(0).get("purpose").s(), "the whole token, not only its keys");
        assertEquals(List.of("Query", "Query", "Query"), new ArrayList<>(calls), "seven tokens, three to a page");
    }
}
