package shop.privacy.stores;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import shop.core.dynamo.DynamoItems;
import shop.core.email.EmailAddress;
import shop.core.retention.RetentionSchedule;
import shop.privacy.account.AccountSession;
import shop.privacy.account.AccountStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * template.yaml's CustomerAccountsTable: {@code SIGNIN#<address hash>} holds the keyed hash of the
 * newest code and its tries; {@code SESSION#<SHA-256 of the token>} a session with its address and
 * times (epoch milliseconds, compared in the conditions). The TTL removes both on AWS; reads and
 * conditions also refuse what has passed it, since the TTL sweep runs late.
 */
public final class DynamoAccountStore implements AccountStore {
    private static final String TTL = RetentionSchedule.TTL_ATTRIBUTE;
    /** template.yaml's sparse index of sessions by the keyed hash of their address. */
    static final String SESSIONS_BY_ADDRESS = "SessionsByAddress";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoAccountStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void saveCode(String key, String codeHash, Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(key(key));
        item.put("codeHash", s(codeHash));
        item.put("tries", n(0));
        item.put(TTL, n(expiresAt.getEpochSecond()));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public Optional<String> tryCode(String key, int maxTries, Instant now) {
        try {
            var updated = dynamo.updateItem(b -> b.tableName(table).key(key(key))
                    .updateExpression("SET tries = tries + :one")
                    .conditionExpression("attribute_exists(codeHash) AND tries < :max AND #ttl > :now")
                    .expressionAttributeNames(Map.of("#ttl", TTL))
                    .expressionAttributeValues(Map.of(":one", n(1), ":max", n(maxTries), ":now", n(now.getEpochSecond())))
                    .returnValues(ReturnValue.ALL_NEW));
            return DynamoItems.string(updated.attributes(), "codeHash");
        } catch (ConditionalCheckFailedException noCodeOrNoTriesLeft) {
            return Optional.empty();
        }
    }

    @Override
    public boolean useCode(String key, String codeHash) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(key(key))
                    .conditionExpression("codeHash = :hash")
                    .expressionAttributeValues(Map.of(":hash", s(codeHash))));
            return true;
        } catch (ConditionalCheckFailedException usedOrReplaced) {
            return false;
        }
    }

    @Override
    public void createSession(AccountSession session, Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(key("SESSION#" + session.tokenHash()));
        item.put("email", s(session.email().value()));
        item.put("addressHash", s(session.addressHash()));
        item.put("startedAt", n(session.startedAt().toEpochMilli()));
        item.put("lastSeenAt", n(session.lastSeenAt().toEpochMilli()));
        item.put(TTL, n(expiresAt.getEpochSecond()));
        dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
    }

    @Override
    public Optional<AccountSession> touchSession(String tokenHash, Instant now, Instant idleSince, Instant startedAfter) {
        try {
            var updated = dynamo.updateItem(b -> b.tableName(table).key(key("SESSION#" + tokenHash))
                    .updateExpression("SET lastSeenAt = :now")
                    .conditionExpression("lastSeenAt > :idle AND startedAt > :started AND #ttl > :nowSeconds")
                    .expressionAttributeNames(Map.of("#ttl", TTL))
                    .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()), ":idle", n(idleSince.toEpochMilli()),
                            ":started", n(startedAfter.toEpochMilli()), ":nowSeconds", n(now.getEpochSecond())))
                    .returnValues(ReturnValue.ALL_NEW));
            var item = updated.attributes();
            return Optional.of(new AccountSession(tokenHash, new EmailAddress(item.get("email").s()),
                    item.get("addressHash").s(), Instant.ofEpochMilli(Long.parseLong(item.get("startedAt").n())),
                    Instant.ofEpochMilli(Long.parseLong(item.get("lastSeenAt").n()))));
        } catch (ConditionalCheckFailedException endedOrSignedOut) {
            return Optional.empty();
        }
    }

    @Override
    public void deleteSession(String tokenHash) {
        dynamo.deleteItem(b -> b.tableName(table).key(key("SESSION#" + tokenHash)));
    }

    /**
     * A Query on the sparse index SessionsByAddress (only session items carry {@code addressHash}),
     * so its cost follows this address's sessions, never the table's size. The index is eventually
     * consistent: a session begun in the very last moment may be missed, and the caller ends the
     * session it holds itself.
     */
    @Override
    public int endAll(String addressHash) {
        int ended = 0;
        var query = QueryRequest.builder().tableName(table).indexName(SESSIONS_BY_ADDRESS)
                .keyConditionExpression("addressHash = :hash")
                .expressionAttributeValues(Map.of(":hash", s(addressHash))).build();
        for (var page : dynamo.queryPaginator(query)) {
            for (var item : page.items()) {
                var old = dynamo.deleteItem(b -> b.tableName(table).key(key(item.get("pk").s()))
                        .returnValues(ReturnValue.ALL_OLD)).attributes();
                if (old != null && !old.isEmpty()) {
                    ended++;
                }
            }
        }
        return ended;
    }
}
