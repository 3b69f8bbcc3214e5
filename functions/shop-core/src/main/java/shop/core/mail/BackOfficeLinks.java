package shop.core.mail;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import shop.core.config.Env;

/**
 * Links from the owner's mails to the admin page, where the stack knows the page's address (the
 * template's {@code AdminPageUrl}): the owner reads "New order" on their phone and opens that order
 * in one tap. The page reads what to open from the fragment ({@code #order=<id>},
 * {@code #number=<order number>}, {@code #privacy}) once signed in; a fragment never reaches a
 * server, so no order id lands in a host's access log. Without an address the mails carry no link.
 * A mail shows a link as {@link OwnerMailLink} does.
 */
public final class BackOfficeLinks {
    private static final BackOfficeLinks NONE = new BackOfficeLinks(null);

    private final String page;

    private BackOfficeLinks(String page) {
        this.page = page;
    }

    public static BackOfficeLinks none() {
        return NONE;
    }

    /** {@code pageUrl}: the admin page's address; https, or http only to this machine (the local run). */
    public static BackOfficeLinks at(String pageUrl) {
        URI uri;
        try {
            uri = new URI(pageUrl);
        } catch (Exception e) {
            throw new IllegalArgumentException("AdminPageUrl is not a URL");
        }
        boolean local = "http".equals(uri.getScheme())
                && ("localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost()));
        if (!(local || "https".equals(uri.getScheme())) || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null || uri.getRawQuery() != null) {
            throw new IllegalArgumentException("AdminPageUrl must be https://host/path, without user, query or fragment");
        }
        return new BackOfficeLinks(pageUrl);
    }

    /**
     * From the function's environment: {@code ADMIN_PAGE_URL} (template.yaml sets it from {@code AdminPageUrl}), empty
     * or absent for none.
     */
    public static BackOfficeLinks fromEnvironment(Env env) {
        return env.optional("ADMIN_PAGE_URL").map(BackOfficeLinks::at).orElse(NONE);
    }

    /** The order's record on the page, by its id (the Checkout Session id). */
    public Optional<String> order(String orderId) {
        return link("order=" + encode(orderId));
    }

    /** The page's search for this order number (where a mail knows the number only). */
    public Optional<String> orderNumber(String number) {
        return link("number=" + encode(number));
    }

    /** The privacy tab. */
    public Optional<String> privacyRequests() {
        return link("privacy");
    }

    private Optional<String> link(String fragment) {
        return page == null ? Optional.empty() : Optional.of(page + "#" + fragment);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
