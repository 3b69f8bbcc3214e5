package shop.local.stack;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Parameter values for the local stack. A value comes from the caller's overrides, else from
 * {@link #DEFAULTS}, else from the template's Default; a parameter with none of these is an
 * error that names it, raised only when something actually refers to it.
 */
public final class LocalParameters {

    /** The local address hash key (not secret): the SecureString the local stack creates. */
    public static final String ADDRESS_HASH_KEY = "local-development-key-not-secret-0123456789";

    /**
     * SecureStrings the local stack puts in SSM before any function runs, under the name the
     * template's parameter gives (its Default, or an override): parameter → value.
     */
    public static final Map<String, String> SECURE_STRINGS = Map.of("AddressHashKeyParameter", ADDRESS_HASH_KEY);

    /** Values for the parameters that have no Default in template.yaml (none of them secret). */
    public static final Map<String, String> DEFAULTS = Map.of(
            "StorefrontOrigin", "http://localhost:3000",
            "SenderAddress", "shop@localhost.test",
            "StorefrontUrl", "",
            "PublicApiUrl", "",
            "OwnerEmail", "owner@localhost.test",
            // Campaign mail must carry one; a made-up address for local mail.
            "ShopPostalAddress", "The jewelry shop, 1 Local Street, Testville 00000",
            // The local API server serves the images bucket here, standing in for CloudFront.
            "ImagesBaseUrl", "http://localhost:3000/_local/images");

    private LocalParameters() {
    }

    public static UnaryOperator<String> lookup(CfnTemplate template, Map<String, String> overrides) {
        Map<String, CfnTemplate.Parameter> declared = template.parameters();
        return name -> {
            if (overrides.containsKey(name)) {
                return overrides.get(name);
            }
            if (DEFAULTS.containsKey(name)) {
                return DEFAULTS.get(name);
            }
            CfnTemplate.Parameter parameter = declared.get(name);
            if (parameter == null) {
                throw new IllegalArgumentException("No parameter " + name + " in " + template.file());
            }
            return parameter.defaultValue().orElseThrow(() -> new IllegalStateException(
                    "Parameter " + name + " has no value for the local stack: it has no Default in "
                            + template.file() + ", no entry in LocalParameters.DEFAULTS and no override"));
        };
    }
}
