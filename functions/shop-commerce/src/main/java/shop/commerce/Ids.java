package shop.commerce;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random identifiers for things we create (reservations). Not secrets: ids, unguessable anyway. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String newId(String prefix) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return prefix + "_" + HexFormat.of().formatHex(bytes);
    }
}
