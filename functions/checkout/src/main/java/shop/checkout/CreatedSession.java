package shop.checkout;

/** A Checkout Session as the storefront needs it: its id and the payment page to send the customer to. */
public record CreatedSession(String id, String url) {
    public CreatedSession {
        if (id == null || !id.startsWith("cs_") || url == null || !url.startsWith("http")) {
            throw new IllegalArgumentException("A Checkout Session has an id cs_... and a URL");
        }
    }
}
