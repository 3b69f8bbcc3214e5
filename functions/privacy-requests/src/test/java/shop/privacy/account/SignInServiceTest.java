package shop.privacy.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import shop.core.email.EmailAddress;
import shop.core.errors.InvalidInputException;
import shop.core.errors.UnauthorizedException;
import shop.privacy.testing.InMemoryAccountStore;
import shop.privacy.testing.PrivacyFixture;

class SignInServiceTest {
    private static final String IP = "198.51.100.7";
    private static final EmailAddress ADA = new EmailAddress("ada@example.com");

    private final PrivacyFixture f = new PrivacyFixture();
    private final InMemoryAccountStore store = new InMemoryAccountStore();
    private final SignInService signIn = new SignInService(store, f.mailer, new AccountMails("Test Jewelry"), f.limiter,
            f.hasher, f.clock);

    @Test
    void theMailedCodeSignsInOnceAndOnlyItsHashIsKept() {
        signIn.requestCode(ADA, IP);
        String code = lastCode();

        assertTrue(store.codes.values().stream().noneMatch(c -> c.hash().contains(code)));
        var session = signIn.verify(ADA, code, IP);
        assertEquals(ADA, signIn.authenticate(session.token()).email());
        assertFalse(store.sessions.containsKey(session.token()), "the token itself is never a key");
        assertThrows(UnauthorizedException.class, () -> signIn.verify(ADA, code, IP), "a code works once");
    }

    @Test
    void aWrongCodeFiveTimesLocksTheCodeUntilANewOneIsAskedFor() {
        signIn.requestCode(ADA, IP);
        String code = lastCode();
        String wrong = code.equals("000000") ? "000001" : "000000";
        for (int i = 0; i < 5; i++) {
            assertThrows(UnauthorizedException.class, () -> signIn.verify(ADA, wrong, IP));
        }

        assertThrows(UnauthorizedException.class, () -> signIn.verify(ADA, code, IP), "the right code after 5 wrong ones");

        signIn.requestCode(ADA, IP);
        assertEquals(ADA, signIn.authenticate(signIn.verify(ADA, lastCode(), IP).token()).email());
    }

    @Test
    void aCodeWorksForTenMinutes() {
        signIn.requestCode(ADA, IP);
        String code = lastCode();
        f.clock.advance(Duration.ofMinutes(10));

        assertThrows(UnauthorizedException.class, () -> signIn.verify(ADA, code, IP));
    }

    @Test
    void aNewCodeReplacesTheEarlierOne() {
        signIn.requestCode(ADA, IP);
        String first = lastCode();
        signIn.requestCode(ADA, IP);
        String second = lastCode();

        if (!first.equals(second)) {
            assertThrows(UnauthorizedException.class, () -> signIn.verify(ADA, first, IP));
        }
        signIn.verify(ADA, second, IP);
    }

    @Test
    void aCodeForOneAddressDoesNotSignInAnother() {
        signIn.requestCode(ADA, IP);
        String code = lastCode();

        assertThrows(UnauthorizedException.class, () -> signIn.verify(new EmailAddress("eve@example.com"), code, IP));
    }

    @Test
    void aCodeThatIsNotSixDigitsIsRefusedWithoutUsingATry() {
        signIn.requestCode(ADA, IP);
        for (String bad : new String[] {"", "12345", "1234567", "12345a", " 123456", "１２３４５６"}) {
            assertThrows(InvalidInputException.class, () -> signIn.verify(ADA, bad, IP), bad);
        }
        assertEquals(0, store.codes.values().iterator().next().tries());
    }

    @Test
    void aStolenTokenStopsWorkingAfterSignOut() {
        signIn.requestCode(ADA, IP);
        String token = signIn.verify(ADA, lastCode(), IP).token();
        signIn.authenticate(token);

        signIn.signOut(token);

        assertThrows(UnauthorizedException.class, () -> signIn.authenticate(token));
    }

    @Test
    void aSessionEndsAfterThirtyIdleMinutesAndEachUseRestartsThem() {
        signIn.requestCode(ADA, IP);
        String token = signIn.verify(ADA, lastCode(), IP).token();
        f.clock.advance(Duration.ofMinutes(29));
        signIn.authenticate(token);
        f.clock.advance(Duration.ofMinutes(29));
        signIn.authenticate(token);

        f.clock.advance(Duration.ofMinutes(30));

        assertThrows(UnauthorizedException.class, () -> signIn.authenticate(token));
    }

    @Test
    void aSessionEndsAfterTwelveHoursHoweverBusy() {
        signIn.requestCode(ADA, IP);
        String token = signIn.verify(ADA, lastCode(), IP).token();
        for (int i = 0; i < 47; i++) {
            f.clock.advance(Duration.ofMinutes(15));
            signIn.authenticate(token);
        }
        f.clock.advance(Duration.ofMinutes(15));

        assertThrows(UnauthorizedException.class, () -> signIn.authenticate(token));
    }

    @Test
    void malformedTokensAreRefusedBeforeAnyLookup() {
        for (String bad : new String[] {"", "x", "A".repeat(42), "A".repeat(44), "A".repeat(42) + "="}) {
            assertThrows(UnauthorizedException.class, () -> signIn.authenticate(bad), bad);
        }
    }

    @Test
    void codesPerAddressAreLimitedAndOverTheLimitNothingIsSentOrStored() {
        for (int i = 0; i < SignInService.CODES_PER_ADDRESS_PER_HOUR; i++) {
            signIn.requestCode(ADA, "203.0.113." + i);
        }
        store.codes.clear();
        int sent = f.mailer.sent.size();

        signIn.requestCode(ADA, "203.0.113.99");

        assertEquals(sent, f.mailer.sent.size());
        assertTrue(store.codes.isEmpty());
    }

    @Test
    void codesPerIpAreLimited() {
        for (int i = 0; i < SignInService.CODES_PER_IP_PER_HOUR; i++) {
            signIn.requestCode(new EmailAddress("person" + i + "@example.com"), IP);
        }
        int sent = f.mailer.sent.size();

        signIn.requestCode(ADA, IP);

        assertEquals(sent, f.mailer.sent.size());
    }

    /** An IPv6 client holds its whole /64: a new address in it for every code is still one client. */
    @Test
    void codesPerIpCountAnIpv6ClientByItsSlash64() {
        for (int i = 0; i < SignInService.CODES_PER_IP_PER_HOUR; i++) {
            signIn.requestCode(new EmailAddress("six" + i + "@example.com"), "2001:db8:7:7::" + Integer.toHexString(i + 1));
        }
        int sent = f.mailer.sent.size();

        signIn.requestCode(ADA, "2001:db8:7:7:ffff::1");

        assertEquals(sent, f.mailer.sent.size());
        signIn.requestCode(ADA, "2001:db8:7:8::1");
        assertEquals(sent + 1, f.mailer.sent.size(), "the next /64 is another client");
    }

    @Test
    void theMailReadsTheSameForEveryAddressButTheCode() {
        signIn.requestCode(ADA, IP);
        signIn.requestCode(new EmailAddress("never-seen@example.org"), IP);
        var a = f.mailer.sent.get(0);
        var b = f.mailer.sent.get(1);
        String codeA = codeIn(a.text());
        String codeB = codeIn(b.text());

        assertEquals(a.text().replace(codeA, "C"), b.text().replace(codeB, "C"));
        assertEquals(a.subject().replace(codeA, "C"), b.subject().replace(codeB, "C"));
    }

    private String lastCode() {
        return codeIn(f.mailer.sent.get(f.mailer.sent.size() - 1).text());
    }

    static String codeIn(String text) {
        Matcher m = Pattern.compile("\\b([0-9]{6})\\b").matcher(text);
        assertTrue(m.find(), text);
        return m.group(1);
    }
}
