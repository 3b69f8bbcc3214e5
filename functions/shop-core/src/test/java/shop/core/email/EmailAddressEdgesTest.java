package shop.core.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Validation of addresses at its edges, enumerated rather than sampled: every control character
 * and line separator in every position of an address, every character of Latin-1 and a few
 * look-alikes beyond it in every position, and the length limits.
 */
class EmailAddressEdgesTest {
    /** Short, so every position can be tried; it has a dot, a plus and a hyphen, each next to a letter. */
    private static final String ADDRESS = "a.b+c@d-e.fg";

    /** C0 controls but tab, DEL, the C1 controls (NEL among them), and Unicode's line and paragraph separators. */
    static IntStream controlCharacters() {
        return IntStream.concat(IntStream.concat(IntStream.rangeClosed(0x00, 0x1f).filter(c -> c != '\t'),
                IntStream.rangeClosed(0x7f, 0x9f)), IntStream.of(0x2028, 0x2029));
    }

    /** Every position of {@link #ADDRESS}: 0 is before it, its length after it, the rest inside. */
    static IntStream positions() {
        return IntStream.rangeClosed(0, ADDRESS.length());
    }

    static Stream<Arguments> controlCharacterInEveryPosition() {
        return controlCharacters().boxed().flatMap(c -> positions().mapToObj(at -> Arguments.of(c, at)));
    }

    /** A line break or other control character anywhere, even at an end where strip() would hide it, is refused. */
    @ParameterizedTest
    @MethodSource("controlCharacterInEveryPosition")
    void aControlCharacterOrLineSeparatorAnywhereIsRejected(int control, int at) {
        String broken = insert(ADDRESS, at, control);
        assertThrows(IllegalArgumentException.class, () -> new EmailAddress(broken),
                String.format("U+%04X at %d of %s", control, at, ADDRESS));
    }

    /** Spaces and tabs around an address are form noise and are trimmed; inside it they are refused. */
    @ParameterizedTest
    @ValueSource(ints = {' ', '\t'})
    void aSpaceOrTabIsTrimmedAroundAndRefusedInside(int blank) {
        assertEquals(ADDRESS, new EmailAddress(insert(ADDRESS, 0, blank)).value());
        assertEquals(ADDRESS, new EmailAddress(insert(ADDRESS, ADDRESS.length(), blank)).value());
        for (int at = 1; at < ADDRESS.length(); at++) {
            String broken = insert(ADDRESS, at, blank);
            assertThrows(IllegalArgumentException.class, () -> new EmailAddress(broken), broken);
        }
    }

    static Stream<Arguments> anyCharacterInEveryPosition() {
        IntStream characters = IntStream.concat(IntStream.rangeClosed(0x00, 0xff),
                IntStream.of(0x0130, 0x0131, 0x017f, 0x200b, 0x200d, 0x212a, 0xfeff, 0xff20));
        return characters.boxed().flatMap(c -> positions().mapToObj(at -> Arguments.of(c, at)));
    }

    /**
     * Whatever one character does to an address, what is accepted is one printable ASCII line
     * with one @, within the limit: nothing in it can break a mail header. (U+0130 and U+212A
     * lower-case to ASCII letters in some locales; the rule lower-cases in Locale.ROOT.)
     */
    @ParameterizedTest
    @MethodSource("anyCharacterInEveryPosition")
    void nothingAcceptedCanBreakAMailHeader(int character, int at) {
        String value;
        try {
            value = new EmailAddress(insert(ADDRESS, at, character)).value();
        } catch (IllegalArgumentException rejected) {
            return;
        }
        String where = String.format("U+%04X at %d of %s: %s", character, at, ADDRESS, value);
        assertFalse(value.chars().anyMatch(c -> c < 0x21 || c > 0x7e), where);
        assertEquals(1, value.chars().filter(c -> c == '@').count(), where);
        assertTrue(value.length() <= EmailAddress.MAX_LENGTH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@b.co", "ADA@EXAMPLE.COM", "Ada.Lovelace+Shop@Mail.Example.org", "x_y-z@sub-1.example.xn--p1ai",
            "o'neil@example.ie", "!#$%&'*+/=?^_`{|}~-@example.com", "0@0.io"})
    void aValidAddressNormalisesToLowerCaseAndNormalisingAgainChangesNothing(String raw) {
        var address = new EmailAddress(" " + raw + "\t");
        assertEquals(raw.toLowerCase(Locale.ROOT), address.value());
        assertEquals(address, new EmailAddress(address.value()));
    }

    /** 64 characters before the @ and 254 in all are the limits; one more is refused. */
    @ParameterizedTest
    @ValueSource(ints = {63, 64, 65})
    void theLocalPartHasAtMost64Characters(int length) {
        String raw = "a".repeat(length) + "@example.com";
        if (length <= 64) {
            assertEquals(raw, new EmailAddress(raw).value());
        } else {
            assertThrows(IllegalArgumentException.class, () -> new EmailAddress(raw));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {253, 254, 255, 256})
    void theWholeAddressHasAtMost254Characters(int length) {
        // 64 a's, "@", then labels of 60 b's split by dots, then ".co".
        StringBuilder domain = new StringBuilder();
        while (65 + domain.length() + 3 < length) {
            domain.append(domain.length() % 61 == 60 ? '.' : 'b');
        }
        String raw = "a".repeat(64) + "@" + domain + ".co";
        assertEquals(length, raw.length());
        if (length <= EmailAddress.MAX_LENGTH) {
            assertEquals(raw, new EmailAddress(raw).value());
        } else {
            assertThrows(IllegalArgumentException.class, () -> new EmailAddress(raw));
        }
    }

    private static String insert(String address, int at, int character) {
        return address.substring(0, at) + Character.toString(character) + address.substring(at);
    }
}
