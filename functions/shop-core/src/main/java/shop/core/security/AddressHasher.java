package shop.core.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import shop.core.config.Env;
import shop.core.email.EmailAddress;

/**
 * A keyed hash (HMAC-SHA256) of a normalised email address. Keys, rate-limit counters and the
 * suppression list use it, so a leaked table or log does not list addresses, and a dictionary
 * of addresses cannot be hashed without the key.
 */
public final class AddressHasher {
    private final Supplier<String> secret;
    private volatile SecretKeySpec key;

    public AddressHasher(String secret) {
        this.secret = () -> secret;
        key();
    }

    private AddressHasher(Supplier<String> secret) {
        this.secret = secret;
    }

    /**
     * The key is a SecureString of SSM Parameter Store, named by {@code ADDRESS_HASH_KEY_PARAMETER}
     * (template.yaml's AddressHashKeyParameter), read on the first hash, as the Stripe secrets are:
     * never in the function's configuration (which {@code lambda:GetFunctionConfiguration} shows)
     * nor in the SnapStart snapshot. A failed read is not kept: the next hash tries again.
     * {@code ADDRESS_HASH_KEY}, the value itself, is for one-off tools run by hand.
     *
     * @param readParameter reads and decrypts one SSM parameter by name (the function's wiring)
     */
    public static AddressHasher fromEnvironment(Env env, UnaryOperator<String> readParameter) {
        var direct = env.optional("ADDRESS_HASH_KEY");
        if (direct.isPresent()) {
            return new AddressHasher(direct.get());
        }
        String parameter = env.require("ADDRESS_HASH_KEY_PARAMETER");
        return new AddressHasher(() -> readParameter.apply(parameter));
    }

    private SecretKeySpec key() {
        SecretKeySpec current = key;
        if (current == null) {
            synchronized (this) {
                current = key;
                if (current == null) {
                    String value = secret.get();
                    if (value == null || value.strip().length() < 32) {
                        throw new IllegalArgumentException("The address hash key needs at least 32 characters");
                    }
                    current = new SecretKeySpec(value.strip().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
                    key = current;
                }
            }
        }
        return current;
    }

    public String hash(EmailAddress address) {
        return hmac("email:" + address.value());
    }

    /** For other identifiers that must not be stored in the clear. */
    public String hash(String purpose, String value) {
        return hmac(purpose + ":" + value);
    }

    /**
     * A source IP as per-client limits count it: its {@link ClientNetwork} (an IPv6 client by its
     * /64), so one client cannot pass a per-IP limit by changing address inside its own network.
     * An IPv4 address hashes as {@code hash("ip", ip)} always did.
     */
    public String hashNetwork(String sourceIp) {
        return hash("ip", ClientNetwork.of(sourceIp));
    }

    private String hmac(String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key());
            return HexFormat.of().formatHex(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
