package shop.checkout;

import java.net.URI;
import java.time.Duration;

/**
 * What a Checkout Session is made of besides the cart: where Stripe sends the customer back,
 * the shipping option, how long the session (and the stock it holds) lasts, and the commerce
 * options the owner sets at deploy: {@code automaticTax} (template parameter TaxMode=stripe:
 * Stripe Tax computes the tax from the address, each product's tax code) and
 * {@code allowPromotionCodes} (AllowPromotionCodes=true: codes the owner makes in the Dashboard).
 */
public record CheckoutSettings(String storefrontUrl, String successPath, String cancelPath, String shippingName,
                               long shippingAmount, Duration sessionLifetime, boolean automaticTax,
                               boolean allowPromotionCodes) {
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

    /** Without tax or promotion codes (TaxMode=none, AllowPromotionCodes=false: the defaults). */
    public CheckoutSettings(String storefrontUrl, String successPath, String cancelPath, String shippingName,
                            long shippingAmount, Duration sessionLifetime) {
        this(storefrontUrl, successPath, cancelPath, shippingName, shippingAmount, sessionLifetime, false, false);
    }

    /** TaxMode as template.yaml allows it: {@code none} or {@code stripe}. */
    public static boolean automaticTax(String taxMode) {
        return switch (taxMode) {
            case "none" -> false;
            case "stripe" -> true;
            default -> throw new IllegalArgumentException("TaxMode is none or stripe, not " + taxMode);
        };
    }

    public String successUrl() {
        return storefrontUrl + successPath;
    }

    public String cancelUrl() {
        return storefrontUrl + cancelPath;
    }
}
