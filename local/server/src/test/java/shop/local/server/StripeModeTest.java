package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StripeModeTest {
    @Test
    void theStandInUnlessATestKeyIsGivenWithoutAnApiBase() {
        assertFalse(StripeMode.from(Map.of()).real());
        assertFalse(StripeMode.from(Map.of("STRIPE_SECRET_KEY", "sk_test_x", "STRIPE_API_BASE", "http://127.0.0.1:1")).real());

        StripeMode real = StripeMode.from(Map.of("STRIPE_SECRET_KEY", "sk_test_x", "STRIPE_WEBHOOK_SECRET", "whsec_y"));
        assertTrue(real.real());
        assertEquals(Map.of("STRIPE_SECRET_KEY", "sk_test_x", "STRIPE_WEBHOOK_SECRET", "whsec_y", "STRIPE_API_BASE", ""),
                real.environmentOverrides());
    }

    @Test
    void aTestKeyNeedsTheWebhookSecretAndLiveKeysAreRefused() {
        assertThrows(IllegalStateException.class, () -> StripeMode.from(Map.of("STRIPE_SECRET_KEY", "sk_test_x")));
        assertThrows(IllegalStateException.class, () -> StripeMode.from(Map.of("STRIPE_SECRET_KEY", "sk_live_x",
                "STRIPE_WEBHOOK_SECRET", "whsec_y")));
    }
}
