package shop.visits;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import shop.core.errors.InvalidInputException;

/**
 * A page view as the storefront's beacon reports it, reduced at once to what the log keeps:
 * the path without its query (which may carry tokens or addresses) and the referrer's host.
 */
public record PageView(String path, Optional<String> referrerHost) {
    static final int MAX_PATH = 512;
    static final int MAX_REFERRER = 2048;
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*");

    public PageView {
        if (path == null || path.length() > MAX_PATH || !PATH.matcher(path).matches()) {
            throw new InvalidInputException("path",
                    "\"path\" is the page's path, starting with / (at most " + MAX_PATH + " URL characters).");
        }
    }

    public static PageView of(String rawPath, Optional<String> referrer) {
        String path = rawPath == null ? null : rawPath.split("[?#]", 2)[0];
        return new PageView(path, referrer.map(PageView::hostOf));
    }

    private static String hostOf(String referrer) {
        if (referrer.length() > MAX_REFERRER) {
            throw new InvalidInputException("referrer", "\"referrer\" has at most " + MAX_REFERRER + " characters.");
        }
        try {
            URI uri = new URI(referrer);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new URISyntaxException(referrer, "not an absolute http(s) URL");
            }
            return uri.getHost().toLowerCase(Locale.ROOT);
        } catch (URISyntaxException e) {
            throw new InvalidInputException("referrer", "\"referrer\" must be an absolute http or https URL.");
        }
    }
}
