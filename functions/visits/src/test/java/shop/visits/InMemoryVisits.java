package shop.visits;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Fakes of the visits ports with the same rules as the DynamoDB adapters. */
final class InMemoryVisits implements VisitStore, DailyCounters, PartnerKeyStore {
    final List<VisitLogEntry> log = new ArrayList<>();
    final Map<LocalDate, String> salts = new HashMap<>();
    final Set<String> seen = new HashSet<>();
    final Map<LocalDate, long[]> counts = new HashMap<>();
    final Map<String, PartnerKey> keys = new HashMap<>();

    @Override
    public void log(VisitLogEntry entry, Instant expiresAt) {
        log.add(entry);
    }

    @Override
    public Optional<String> salt(LocalDate day) {
        return Optional.ofNullable(salts.get(day));
    }

    @Override
    public String saltOnce(LocalDate day, String salt, Instant expiresAt) {
        return salts.computeIfAbsent(day, d -> salt);
    }

    @Override
    public boolean firstSeen(LocalDate day, String visitorHash, Instant expiresAt) {
        return seen.add(day + "#" + visitorHash);
    }

    @Override
    public void countPageView(LocalDate day, boolean newVisitor) {
        long[] c = counts.computeIfAbsent(day, d -> new long[2]);
        c[0] += newVisitor ? 1 : 0;
        c[1]++;
    }

    @Override
    public List<DailyStats> read(LocalDate from, LocalDate to) {
        List<DailyStats> days = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            long[] c = counts.getOrDefault(d, new long[2]);
            days.add(new DailyStats(d, c[0], c[1], 0));
        }
        return days;
    }

    @Override
    public Optional<PartnerKey> find(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    @Override
    public void save(PartnerKey key) {
        keys.put(key.keyId(), key);
    }

    @Override
    public boolean revoke(String keyId) {
        return keys.remove(keyId) != null;
    }

    @Override
    public List<PartnerKey> all() {
        return List.copyOf(keys.values());
    }
}
