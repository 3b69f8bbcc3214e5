package shop.core.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;

/** Validation of addresses, over generated input rather than a handful of examples. */
class EmailAddressPropertiesTest {

    @Property
    void aValidAddressNormalisesToLowerCaseAndNormalisingAgainChangesNothing(@ForAll("addresses") String raw) {
        var address = new EmailAddress(" " + raw + "\t");
        assertEquals(raw.toLowerCase(java.util.Locale.ROOT), address.value());
        assertEquals(address, new EmailAddress(address.value()));
        assertTrue(address.value().length() <= EmailAddress.MAX_LENGTH);
    }

    @Property
    void aControlCharacterOrSpaceAnywhereInsideIsRejected(@ForAll("addresses") String raw,
            @ForAll @CharRange(from = 0, to = 32) char bad, @ForAll int where) {
        int at = Math.floorMod(where, raw.length() - 1) + 1;
        String broken = raw.substring(0, at) + bad + raw.substring(at);
        assertThrows(IllegalArgumentException.class, () -> new EmailAddress(broken));
    }

    @Property
    void aLineBreakOrControlCharacterBeforeOrAfterIsRejected(@ForAll("addresses") String raw,
            @ForAll @CharRange(from = 0, to = 31) char bad, @ForAll boolean before) {
        Assume.that(bad != '\t');
        String broken = before ? bad + raw : raw + bad;
        assertThrows(IllegalArgumentException.class, () -> new EmailAddress(broken));
    }

    @Property
    void nothingAcceptedCanBreakAMailHeaderOrExceedTheLimit(@ForAll @StringLength(max = 300) String anything) {
        try {
            String value = new EmailAddress(anything).value();
            assertFalse(value.chars().anyMatch(c -> c < 0x21 || c > 0x7e), value);
            assertTrue(value.length() <= EmailAddress.MAX_LENGTH);
            assertEquals(1, value.chars().filter(c -> c == '@').count());
        } catch (IllegalArgumentException rejected) {
            // Most random strings are not addresses: rejecting them is the point.
        }
    }

    @Provide
    Arbitrary<String> addresses() {
        Arbitrary<String> local = Arbitraries.strings().withChars("abcXYZ019.+_-").ofMinLength(1).ofMaxLength(20)
                .filter(s -> !s.startsWith(".") && !s.endsWith(".") && !s.contains(".."));
        Arbitrary<String> label = Arbitraries.strings().withChars("abcdefXYZ0129").ofMinLength(1).ofMaxLength(15);
        Arbitrary<String> tld = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(2).ofMaxLength(6);
        return Combinators.combine(local, label, tld).as((l, d, t) -> l + "@" + d + "." + t);
    }
}
