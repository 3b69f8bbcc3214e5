package shop.privacy.inbound;

import com.google.common.net.InternetDomainName;
import java.net.IDN;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/**
 * The organizational domain of a mail domain, for DMARC's relaxed alignment (RFC 7489, 3.1 and
 * 3.2): the name one label below its longest public suffix, found in the Public Suffix List with
 * its private section (Guava's {@link InternetDomainName#topPrivateDomain()}). So
 * {@code evil.kyoto.jp} and {@code victim.kyoto.jp} are two organizations, and so are
 * {@code alice.github.io} and {@code mallory.github.io}: hosting and dynamic-DNS domains that give
 * names to many customers are public suffixes there.
 *
 * <p>The list is the copy bundled in guava's jar, as new as the guava version in the pom: a
 * suffix added to the list later is unknown until guava is updated. A suffix the copy does not
 * know makes two customers under it look like one organization, which aligns them; that is the
 * list's own limit, as it is for every DMARC receiver that uses it.
 *
 * <p>Names are compared in one form: A-labels (punycode), lower case, without the trailing dot,
 * so {@code Bücher.de}, {@code xn--bcher-kva.de} and {@code XN--BCHER-KVA.DE.} are one name. A
 * Unicode name that IDNA2003 (Java's {@link IDN}) would map to another name rather than just
 * encode ({@code faß.de} to {@code fass.de}, where IDNA2008 and the DNS keep them apart) is not
 * taken: it aligns with nothing, so its sender gets a verification link.
 */
final class OrganizationalDomain {

    private OrganizationalDomain() {
    }

    /**
     * The organizational domain in A-labels, or empty when there is none to compare: a name that
     * is itself a public suffix ({@code co.uk}, {@code github.io}), one under no suffix the list
     * knows ({@code host.internal}), or not a domain name at all.
     */
    static Optional<String> of(String domain) {
        return canonical(domain).flatMap(name -> {
            InternetDomainName parsed = InternetDomainName.from(name);
            return parsed.isUnderPublicSuffix() ? Optional.of(parsed.topPrivateDomain().toString()) : Optional.empty();
        });
    }

    /**
     * Relaxed alignment: the same name, or the same organizational domain; an empty, missing or
     * invalid name never aligns.
     *
     * <p>A name with no organizational domain aligns only with itself. RFC 7489's algorithm (3.2)
     * prefixes one label to the matched suffix, which a name that is itself a suffix does not
     * have; its strict mode (an exact match) is the one comparison left, and relaxed alignment
     * holds wherever strict does. DMARCbis finds the organizational domain by walking the DNS
     * for DMARC records instead of by a list, and its working group meant a public suffix domain
     * that sends mail to be its own organizational domain and no one else's; its walk needs the
     * DMARC records that a From domain judged here lacks (SES's DMARC verdict GRAY), so the list
     * stays the way to find it. For a name under no listed suffix the list's default rule ("*")
     * would make the last two labels the organizational domain; such a name is a private one
     * ({@code .internal}) or under a top-level domain newer than the list's copy, so it is not
     * given that benefit and aligns only with itself: the safe side, where its sender gets a
     * verification link.
     */
    static boolean aligned(String a, String b) {
        Optional<String> first = canonical(a);
        Optional<String> second = canonical(b);
        if (first.isEmpty() || second.isEmpty()) {
            return false;
        }
        if (first.equals(second)) {
            return true;
        }
        Optional<String> organization = of(first.get());
        return organization.isPresent() && organization.equals(of(second.get()));
    }

    /** The name in A-labels, lower case, without the trailing dot; empty if it is not a domain name. */
    static Optional<String> canonical(String domain) {
        if (domain == null) {
            return Optional.empty();
        }
        String name = Normalizer.normalize(domain.strip(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty()) {
            return Optional.empty();
        }
        try {
            String ascii = IDN.toASCII(name).toLowerCase(Locale.ROOT);
            // Encoding keeps every label's Unicode form; a mapping (IDNA2003's nameprep) changes it.
            if (!IDN.toUnicode(ascii).equals(IDN.toUnicode(name))) {
                return Optional.empty();
            }
            return InternetDomainName.isValid(ascii) ? Optional.of(ascii) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
