package shop.privacy.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.core.email.EmailAddress;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.privacy.account.AccountSession;

@ExtendWith(LocalAwsExtension.class)
class DynamoAccountStoreTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private static DynamoAccountStore store;
    private static LocalAws local;

    @BeforeAll
    static void connect(LocalAws aws) {
        local = aws;
        store = new DynamoAccountStore(aws.dynamo(), aws.physicalName("CustomerAccountsTable"));
    }

    @Test
    void aCodeCountsItsTriesAndStopsAtTheLimit() {
        String key = "SIGNIN#" + UUID.randomUUID();
        store.saveCode(key, "hash-1", NOW.plus(Duration.ofMinutes(10)));

        for (int i = 0; i < 5; i++) {
            assertEquals(Optional.of("hash-1"), store.tryCode(key, 5, NOW));
        }
        assertEquals(Optional.empty(), store.tryCode(key, 5, NOW));
        assertFalse(store.useCode(key, "hash-2"));
        assertTrue(store.useCode(key, "hash-1"));
        assertFalse(store.useCode(key, "hash-1"), "used once");
        assertEquals(Optional.empty(), store.tryCode(key, 5, NOW));
    }

    @Test
    void anExpiredCodeIsNotTriedAndANewCodeStartsItsTriesAgain() {
        String key = "SIGNIN#" + UUID.randomUUID();
        store.saveCode(key, "old", NOW.plus(Duration.ofMinutes(10)));
        assertEquals(Optional.empty(), store.tryCode(key, 5, NOW.plus(Duration.ofMinutes(10))));
        for (int i = 0; i < 5; i++) {
            store.tryCode(key, 5, NOW);
        }
        store.saveCode(key, "new", NOW.plus(Duration.ofMinutes(10)));
        assertEquals(Optional.of("new"), store.tryCode(key, 5, NOW));
    }

    @Test
    void aSessionIsTouchedWhileLiveAndRefusedWhenIdleTooOldOrDeleted() {
        String hash = UUID.randomUUID().toString();
        store.createSession(new AccountSession(hash, new EmailAddress("ada@example.com"), "h", NOW, NOW),
                NOW.plus(Duration.ofHours(12)));
        Instant later = NOW.plus(Duration.ofMinutes(20));

        AccountSession touched = store.touchSession(hash, later, later.minus(Duration.ofMinutes(30)),
                later.minus(Duration.ofHours(12))).orElseThrow();
        assertEquals("ada@example.com", touched.email().value());
        assertEquals(later, touched.lastSeenAt());

        Instant idle = later.plus(Duration.ofMinutes(30));
        assertEquals(Optional.empty(), store.touchSession(hash, idle, idle.minus(Duration.ofMinutes(30)),
                idle.minus(Duration.ofHours(12))));
        assertEquals(Optional.empty(), store.touchSession(hash, later, later.minus(Duration.ofMinutes(30)),
                NOW.plus(Duration.ofSeconds(1))), "began before the 12-hour bound");

        store.deleteSession(hash);
        assertEquals(Optional.empty(), store.touchSession(hash, later, later.minus(Duration.ofMinutes(30)),
                later.minus(Duration.ofHours(12))));
        assertEquals(0, local.dynamo().getItem(b -> b.tableName(local.physicalName("CustomerAccountsTable"))
                .key(java.util.Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                        "SESSION#" + hash)))).item().size(), "touching a session that is gone creates nothing");
    }

    @Test
    void endAllEndsEverySessionOfTheAddressAndNoOtherAndTheCodeStays() {
        String ada = "ada-" + UUID.randomUUID();
        String grace = "grace-" + UUID.randomUUID();
        String phone = UUID.randomUUID().toString();
        String laptop = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        store.createSession(new AccountSession(phone, new EmailAddress("ada@example.com"), ada, NOW, NOW), NOW.plus(Duration.ofHours(12)));
        store.createSession(new AccountSession(laptop, new EmailAddress("ada@example.com"), ada, NOW, NOW), NOW.plus(Duration.ofHours(12)));
        store.createSession(new AccountSession(other, new EmailAddress("grace@example.com"), grace, NOW, NOW), NOW.plus(Duration.ofHours(12)));
        store.saveCode("SIGNIN#" + ada, "code-hash", NOW.plus(Duration.ofMinutes(10)));

        assertEquals(2, store.endAll(ada));

        Instant later = NOW.plus(Duration.ofMinutes(1));
        for (String gone : new String[] {phone, laptop}) {
            assertEquals(Optional.empty(), store.touchSession(gone, later, later.minus(Duration.ofMinutes(30)),
                    later.minus(Duration.ofHours(12))));
        }
        assertTrue(store.touchSession(other, later, later.minus(Duration.ofMinutes(30)), later.minus(Duration.ofHours(12)))
                .isPresent(), "another address's session goes on");
        assertEquals(Optional.of("code-hash"), store.tryCode("SIGNIN#" + ada, 5, NOW), "codes are no sessions");
        assertEquals(0, store.endAll(ada), "twice ends nothing more");
    }
}
