package shop.visits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import shop.core.errors.InvalidInputException;
import shop.core.errors.UnauthorizedException;

class StatsServiceTest {
    private final InMemoryVisits fakes = new InMemoryVisits();
    private final StatsService stats = new StatsService(fakes, fakes);
    private final String key = new PartnerKeys(fakes).create("Gallery Partner");

    @Test
    void aValidKeyReadsEveryDayOfTheRangeZerosIncluded() {
        fakes.countPageView(LocalDate.parse("2026-11-02"), true);

        var days = stats.daily(Optional.of("Bearer " + key), Optional.of("2026-11-01"), Optional.of("2026-11-03"));

        assertEquals(3, days.size());
        assertEquals(new DailyStats(LocalDate.parse("2026-11-02"), 1, 1, 0), days.get(1));
        assertEquals(0, days.get(0).pageViews());
    }

    @Test
    void keysAreStoredOnlyAsHashes() {
        String secret = key.substring(key.indexOf('.') + 1);
        assertEquals(1, fakes.keys.size());
        fakes.keys.values().forEach(stored -> assertEquals(64, stored.secretHash().length()));
        fakes.keys.values().forEach(stored -> assertEquals(-1, stored.toString().indexOf(secret)));
    }

    @Test
    void missingMalformedWrongOrRevokedKeysAre401() {
        var range = new String[] {"2026-11-01", "2026-11-02"};
        String wrongSecret = key.substring(0, key.indexOf('.') + 1) + "A".repeat(43);
        String unknownId = "pk_0000000000000000" + key.substring(key.indexOf('.'));
        for (Optional<String> header : java.util.List.of(Optional.<String>empty(), Optional.of(key),
                Optional.of("Bearer "), Optional.of("Bearer " + wrongSecret), Optional.of("Bearer " + unknownId),
                Optional.of("Basic " + key))) {
            assertThrows(UnauthorizedException.class,
                    () -> stats.daily(header, Optional.of(range[0]), Optional.of(range[1])), String.valueOf(header));
        }
        fakes.revoke(key.substring(0, key.indexOf('.')));
        assertThrows(UnauthorizedException.class,
                () -> stats.daily(Optional.of("Bearer " + key), Optional.of(range[0]), Optional.of(range[1])));
    }

    @Test
    void rangesAreCheckedAndLimitedTo366Days() {
        var auth = Optional.of("Bearer " + key);
        assertEquals(366, stats.daily(auth, Optional.of("2024-01-01"), Optional.of("2024-12-31")).size());
        assertThrows(InvalidInputException.class, () -> stats.daily(auth, Optional.of("2024-01-01"), Optional.of("2025-01-01")));
        assertThrows(InvalidInputException.class, () -> stats.daily(auth, Optional.of("2026-11-02"), Optional.of("2026-11-01")));
        assertThrows(InvalidInputException.class, () -> stats.daily(auth, Optional.of("2026-13-01"), Optional.of("2026-11-01")));
        assertThrows(InvalidInputException.class, () -> stats.daily(auth, Optional.empty(), Optional.of("2026-11-01")));
    }

    @Test
    void onlyFourDigitYearsAreDates() {
        var auth = Optional.of("Bearer " + key);
        // The last day LocalDate knows has no next day: this range once failed with a 500.
        assertThrows(InvalidInputException.class,
                () -> stats.daily(auth, Optional.of("+999999999-12-01"), Optional.of("+999999999-12-31")));
        assertThrows(InvalidInputException.class,
                () -> stats.daily(auth, Optional.of("+10000-01-01"), Optional.of("+10000-01-02")));
        assertThrows(InvalidInputException.class,
                () -> stats.daily(auth, Optional.of("-2025-01-01"), Optional.of("-2025-01-02")));
        assertEquals(2, stats.daily(auth, Optional.of("9999-12-30"), Optional.of("9999-12-31")).size());
    }
}
