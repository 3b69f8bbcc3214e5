package shop.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import shop.core.config.Env;
import shop.core.email.EmailAddress;

/** Issue 13, finding 11: the key comes from an SSM SecureString on first use, not from the environment. */
class AddressHasherTest {
    private static final String KEY = "k".repeat(40);
    private static final EmailAddress ADA = new EmailAddress("ada@example.com");

    @Test
    void theKeyIsReadFromTheNamedParameterOnTheFirstHashOnlyAndNeverAtStart() {
        List<String> reads = new ArrayList<>();
        var hasher = AddressHasher.fromEnvironment(Env.of(Map.of("ADDRESS_HASH_KEY_PARAMETER", "/shop/address-hash-key")),
                name -> {
                    reads.add(name);
                    return KEY;
                });
        assertEquals(List.of(), reads, "nothing read before the first hash (SnapStart snapshot)");

        String first = hasher.hash(ADA);
        hasher.hash(ADA);

        assertEquals(List.of("/shop/address-hash-key"), reads);
        assertEquals(new AddressHasher(KEY).hash(ADA), first);
    }

    @Test
    void aFailedOrShortReadIsNotKeptAndTheNextHashTriesAgain() {
        List<String> answers = new ArrayList<>(List.of("short", KEY));
        var hasher = AddressHasher.fromEnvironment(Env.of(Map.of("ADDRESS_HASH_KEY_PARAMETER", "/p")), name -> answers.remove(0));

        assertThrows(IllegalArgumentException.class, () -> hasher.hash(ADA));
        assertEquals(new AddressHasher(KEY).hash(ADA), hasher.hash(ADA));
    }

    @Test
    void withoutTheParameterNameTheFunctionDoesNotStart() {
        assertThrows(IllegalStateException.class, () -> AddressHasher.fromEnvironment(Env.of(Map.of()), name -> KEY));
    }
}
