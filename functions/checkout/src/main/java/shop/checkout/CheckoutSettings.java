package shop.checkout;

import java.net.URI;
import java.time.Duration;

/**
 * What a Checkout Session is made of besides the cart: where Stripe sends the customer back,
 * the shipping option, and how long the session (and the stock it holds) lasts.
 */
public record CheckoutSettings(String storefrontUrl, String successPath, String cancelPath, String shippingName,
                               long shippingAmount, Duration sessionLifetime) {
    /**
     * Stripe accepts an {@code expires_at} 30 minutes to 24 hours after it creates the session;
     * a minute more than 30 keeps clock skew and network time from making it 29:59.
     */
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(31);

    public CheckoutSettings {
        URI base = URI.create(storefrontUrl);
        if (base.getScheme() == null || base.getHost() == null) {
            throw new IllegalArgumentException("The storefront URL is absolute: " + storefrontUrl);
        }
        storefrontUrl = storefrontUrl.endsWith("/") ? storefrontUrl.substring(0, storefrontUrl.length() - 1) : storefrontUrl;
        if (!successPath.startsWith("/") || !cancelPath.startsWith("/")) {
            throw new IllegalArgumentException("Success and cancel paths start with /");
        }
        if (shippingName == null || shippingName.isBlank() || shippingAmount < 0) {
            throw new IllegalArgumentException("The shipping option needs a name and an amount of 0 or more");
        }
        if (sessionLifetime.compareTo(Duration.ofMinutes(30)) < 0 || sessionLifetime.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("A Checkout Session lasts 30 minutes to 24 hours");
        }
    }

    public String successUrl() {
        return storefrontUrl + successPath;
    }

    public String cancelUrl() {
        return storefrontUrl + cancelPath;
    }
}
