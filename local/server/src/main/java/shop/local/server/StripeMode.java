package shop.local.server;

import java.util.Map;

/**
 * Which Stripe the local run talks to. By default the stand-in of the local stack. With a test
 * secret key in {@code STRIPE_SECRET_KEY} (and no {@code STRIPE_API_BASE}) the functions talk to
 * Stripe's test mode instead, and the webhook secret comes from {@code STRIPE_WEBHOOK_SECRET} —
 * the one {@code stripe listen --forward-to localhost:3000/stripe/webhook} prints. Live keys are
 * refused: nothing local should ever charge a card.
 */
record StripeMode(boolean real, Map<String, String> environmentOverrides) {

    static StripeMode from(Map<String, String> env) {
        String key = env.getOrDefault("STRIPE_SECRET_KEY", "");
        String apiBase = env.getOrDefault("STRIPE_API_BASE", "");
        if (key.startsWith("sk_live_") || key.startsWith("rk_live_")) {
            throw new IllegalStateException("STRIPE_SECRET_KEY is a live key; the local run takes test keys only");
        }
        if (!key.startsWith("sk_test_") || !apiBase.isBlank()) {
            return new StripeMode(false, Map.of());
        }
        String webhookSecret = env.getOrDefault("STRIPE_WEBHOOK_SECRET", "");
        if (!webhookSecret.startsWith("whsec_")) {
            throw new IllegalStateException("With a Stripe test key, set STRIPE_WEBHOOK_SECRET to the whsec_... that"
                    + " `stripe listen --forward-to localhost:3000/stripe/webhook` prints");
        }
        // Replaces the stand-in's values; an empty STRIPE_API_BASE means Stripe's own API.
        return new StripeMode(true, Map.of(
                "STRIPE_SECRET_KEY", key,
                "STRIPE_WEBHOOK_SECRET", webhookSecret,
                "STRIPE_API_BASE", ""));
    }
}
