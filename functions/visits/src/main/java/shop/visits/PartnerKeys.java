package shop.visits;

import java.security.SecureRandom;
import java.util.HexFormat;
import shop.core.security.Tokens;

/** Issues partner keys: the whole key is shown once, only the hash of its secret is kept. */
public final class PartnerKeys {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final PartnerKeyStore store;

    public PartnerKeys(PartnerKeyStore store) {
        this.store = store;
    }

    /** Returns the key to hand to the partner: {@code pk_<id>.<secret>}. */
    public String create(String partner) {
        if (partner == null || partner.isBlank() || partner.length() > 100) {
            throw new IllegalArgumentException("Name the partner (1-100 characters)");
        }
        byte[] id = new byte[8];
        RANDOM.nextBytes(id);
        String keyId = "pk_" + HexFormat.of().formatHex(id);
        String secret = Tokens.newToken();
        store.save(new PartnerKey(keyId, partner.strip(), Tokens.hash(secret)));
        return keyId + "." + secret;
    }
}
