package shop.commerce.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import shop.core.config.Env;

class StripeSecretsTest {
    private final List<String> reads = new ArrayList<>();

    @Test
    void valuesInTheEnvironmentWinAndSsmIsNotAsked() {
        var secrets = StripeSecrets.fromEnvironment(Env.of(Map.of(
                "STRIPE_SECRET_KEY", "sk_test_local", "STRIPE_WEBHOOK_SECRET", "whsec_local",
                "STRIPE_SECRET_KEY_PARAMETER", "/shop/key")), this::ssm);

        assertEquals("sk_test_local", secrets.secretKey());
        assertEquals("whsec_local", secrets.webhookSecret());
        assertEquals(List.of(), reads);
    }

    @Test
    void eachParameterIsReadOnceOnFirstUseAndAFailureIsRetried() {
        var secrets = StripeSecrets.fromEnvironment(Env.of(Map.of(
                "STRIPE_SECRET_KEY_PARAMETER", "/shop/key", "STRIPE_WEBHOOK_SECRET_PARAMETER", "/missing")), this::ssm);
        assertEquals(List.of(), reads, "nothing read at start-up (SnapStart snapshot)");

        assertEquals("sk_live_from_ssm", secrets.secretKey());
        assertEquals("sk_live_from_ssm", secrets.secretKey());
        assertThrows(IllegalStateException.class, secrets::webhookSecret);
        assertThrows(IllegalStateException.class, secrets::webhookSecret);

        assertEquals(List.of("/shop/key", "/missing", "/missing"), reads);
    }

    @Test
    void aValueOfTheWrongShapeIsRefusedWithoutShowingIt() {
        var secrets = StripeSecrets.fromEnvironment(Env.of(Map.of("STRIPE_SECRET_KEY", "pk_test_publishable")), this::ssm);
        var error = assertThrows(IllegalStateException.class, secrets::secretKey);
        assertFalse(error.getMessage().contains("pk_test_publishable"));
        assertEquals("StripeSecrets[redacted]", secrets.toString());
    }

    @Test
    void aStackMarkedLiveRefusesATestKeyAndTheKeyTellsItsMode() {
        var live = StripeSecrets.fromEnvironment(Env.of(Map.of("STRIPE_SECRET_KEY", "sk_test_local",
                "STRIPE_LIVE_MODE", "true")), this::ssm);
        var error = assertThrows(IllegalStateException.class, live::secretKey);
        assertFalse(error.getMessage().contains("sk_test_local"));

        assertEquals(true, StripeSecrets.fromEnvironment(Env.of(Map.of("STRIPE_SECRET_KEY", "rk_live_x",
                "STRIPE_LIVE_MODE", "true")), this::ssm).liveKey());
        assertEquals(false, StripeSecrets.fromEnvironment(Env.of(Map.of("STRIPE_SECRET_KEY", "sk_test_local")),
                this::ssm).liveKey());
    }

    private String ssm(String name) {
        reads.add(name);
        if (name.equals("/shop/key")) {
            return "sk_live_from_ssm";
        }
        throw new IllegalStateException("ParameterNotFound: " + name);
    }
}
