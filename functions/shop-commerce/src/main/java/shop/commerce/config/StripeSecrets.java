package shop.commerce.config;

import java.util.Optional;
import java.util.function.UnaryOperator;
import shop.core.config.Env;

/**
 * The Stripe secret key and webhook signing secret. On AWS they live in SSM Parameter Store as
 * SecureStrings whose names template.yaml passes ({@code STRIPE_SECRET_KEY_PARAMETER},
 * {@code STRIPE_WEBHOOK_SECRET_PARAMETER}); locally and in tests the values themselves come as
 * {@code STRIPE_SECRET_KEY} / {@code STRIPE_WEBHOOK_SECRET}, which win when set.
 *
 * <p>Each is read once per execution environment, on first use rather than at start-up: so it
 * is not written into the SnapStart snapshot, a deploy does not fail before the parameters
 * exist (the webhook secret can only be created once the endpoint URL is known), and a
 * restored environment reads the current value.
 */
public final class StripeSecrets {
    private final Once<String> secretKey;
    private final Once<String> webhookSecret;

    private StripeSecrets(Once<String> secretKey, Once<String> webhookSecret) {
        this.secretKey = secretKey;
        this.webhookSecret = webhookSecret;
    }

    /**
     * @param readParameter reads and decrypts one SSM parameter by name (an SSM GetParameter
     *                      call in the function's wiring; this library stays SDK-free)
     */
    public static StripeSecrets fromEnvironment(Env env, UnaryOperator<String> readParameter) {
        boolean stackIsLive = Boolean.parseBoolean(env.optional("STRIPE_LIVE_MODE").orElse("false"));
        return new StripeSecrets(
                Once.of(() -> {
                    String key = checked(read(env, "STRIPE_SECRET_KEY", readParameter), "sk_", "rk_");
                    if (stackIsLive && !live(key)) {
                        // A live shop taking test payments would ship pieces nobody paid for.
                        throw new IllegalStateException("The stack is marked live (StripeLiveMode=true) but its Stripe"
                                + " key is a test key: refusing to use it");
                    }
                    return key;
                }),
                Once.of(() -> checked(read(env, "STRIPE_WEBHOOK_SECRET", readParameter), "whsec_")));
    }

    public String secretKey() {
        return secretKey.get();
    }

    /** Whether the secret key is a live-mode key ({@code sk_live_}, {@code rk_live_}); events must be of its mode. */
    public boolean liveKey() {
        return live(secretKey());
    }

    private static boolean live(String key) {
        return key.startsWith("sk_live_") || key.startsWith("rk_live_");
    }

    public String webhookSecret() {
        return webhookSecret.get();
    }

    private static String read(Env env, String variable, UnaryOperator<String> readParameter) {
        Optional<String> direct = env.optional(variable);
        if (direct.isPresent()) {
            return direct.get().strip();
        }
        String parameter = env.require(variable + "_PARAMETER");
        String value = readParameter.apply(parameter);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("SSM parameter " + parameter + " is empty");
        }
        return value.strip();
    }

    private static String checked(String value, String... prefixes) {
        for (String prefix : prefixes) {
            if (value.startsWith(prefix)) {
                return value;
            }
        }
        // Names the expected shape, never the value.
        throw new IllegalStateException("A Stripe secret should start with " + String.join(" or ", prefixes));
    }

    @Override
    public String toString() {
        return "StripeSecrets[redacted]";
    }
}
