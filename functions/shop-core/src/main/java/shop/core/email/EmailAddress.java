package shop.core.email;

import java.util.Locale;
import java.util.regex.Pattern;
import shop.core.errors.InvalidInputException;

/**
 * A mailbox we can send to, normalised (trimmed, lower-cased) so that one person has one key.
 * Deliberately narrower than RFC 5322: no quoted local parts, no comments, no IP literals,
 * ASCII only; what is left is what real shops see, and nothing in it can break a mail header.
 */
public record EmailAddress(String value) {
    public static final int MAX_LENGTH = 254;
    private static final Pattern LOCAL = Pattern.compile("[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern TOP_LEVEL = Pattern.compile("[a-z]{2,63}|xn--[a-z0-9-]{1,59}");

    public EmailAddress {
        value = normalise(value);
    }

    public static EmailAddress parse(String field, String raw) {
        try {
            return new EmailAddress(raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, e.getMessage());
        }
    }

    public String domain() {
        return value.substring(value.indexOf('@') + 1);
    }

    private static String normalise(String raw) {
        if (raw == null) {
            throw new IllegalArgumentException("An email address is required.");
        }
        // Spaces and tabs around an address are form noise; a line break or another control
        // character anywhere, even at the end where strip() would hide it, is header injection:
        // C0 but tab, DEL, C1 (NEL is a line break) and Unicode's line and paragraph separators.
        if (raw.chars().anyMatch(EmailAddress::isControl)) {
            throw new IllegalArgumentException("An email address is one line without control characters.");
        }
        String address = raw.strip().toLowerCase(Locale.ROOT);
        if (address.isEmpty()) {
            throw new IllegalArgumentException("An email address is required.");
        }
        if (address.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("An email address has at most " + MAX_LENGTH + " characters.");
        }
        int at = address.indexOf('@');
        if (at <= 0 || at != address.lastIndexOf('@') || at == address.length() - 1) {
            throw new IllegalArgumentException("An email address looks like name@example.com.");
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (local.length() > 64 || !LOCAL.matcher(local).matches()) {
            throw new IllegalArgumentException("The part before @ has characters an email address cannot have.");
        }
        String[] labels = domain.split("\\.", -1);
        if (labels.length < 2) {
            throw new IllegalArgumentException("The domain after @ needs a dot, like example.com.");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("The domain after @ is not a valid domain name.");
            }
        }
        if (!TOP_LEVEL.matcher(labels[labels.length - 1]).matches()) {
            throw new IllegalArgumentException("The domain after @ does not end in a real top-level domain.");
        }
        return address;
    }

    private static boolean isControl(int c) {
        return (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029;
    }

    @Override
    public String toString() {
        return "EmailAddress[redacted]";
    }
}
