package shop.privacy.inbound;

import java.util.Locale;
import java.util.Set;

/**
 * The organizational domain of a mail domain, for DMARC's relaxed alignment (RFC 7489, 3.2):
 * the registrable domain, one label below the public suffix.
 *
 * <p>The project carries no Public Suffix List, so this is a small approximation: the public
 * suffix is the last label, or the last two when the last is a two-letter country code and the
 * one before it is a generic second level used under country codes ({@code co.uk},
 * {@code com.au}, {@code ac.jp}, ...). {@code evil.co.uk} and {@code victim.co.uk} are then two
 * organizations, as the list says. Where it is wrong it errs towards aligning, the unsafe side:
 * a suffix it does not know is taken as shorter than it is, so the domains under it share one
 * "organization". That happens for two-label suffixes whose second level is not in the list
 * ({@code kyoto.jp}, {@code waw.pl}: {@code evil.kyoto.jp} aligns with {@code victim.kyoto.jp}),
 * suffixes of three labels or more, and the list's private section (dynamic-DNS and hosting
 * domains, where several customers sit under one domain); SECURITY.md lists it as a known gap,
 * which the Public Suffix List (Guava's {@code InternetDomainName}) would close. A mail that does not align is not refused: its sender gets a
 * verification link instead of being unsubscribed at once.
 */
final class OrganizationalDomain {
    /** Second levels that are public suffixes under many country codes. */
    private static final Set<String> GENERIC_SECOND_LEVELS = Set.of(
            "ac", "co", "com", "edu", "gov", "gob", "go", "govt", "ltd", "me", "mil", "ne", "net", "nhs", "nic",
            "or", "org", "plc", "sch", "police", "gen", "nom", "ind", "firm", "info", "biz", "lg", "gr", "ed", "ad");

    private OrganizationalDomain() {
    }

    static String of(String domain) {
        String name = domain.strip().toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        String[] labels = name.split("\\.", -1);
        int n = labels.length;
        int suffixLabels = n >= 3 && labels[n - 1].length() == 2 && GENERIC_SECOND_LEVELS.contains(labels[n - 2]) ? 2 : 1;
        int keep = Math.min(n, suffixLabels + 1);
        return String.join(".", java.util.Arrays.copyOfRange(labels, n - keep, n));
    }

    /** Relaxed alignment: the same organizational domain (an empty or missing domain never aligns). */
    static boolean aligned(String a, String b) {
        return a != null && b != null && !a.isBlank() && !b.isBlank() && of(a).equals(of(b));
    }
}
