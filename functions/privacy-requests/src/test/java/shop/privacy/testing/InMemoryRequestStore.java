package shop.privacy.testing;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import shop.privacy.AuditEntry;
import shop.privacy.DownloadLink;
import shop.privacy.PrivacyRequest;
import shop.privacy.RequestStatus;
import shop.privacy.RequestStore;
import shop.privacy.VerificationToken;

/** The request store's rules in memory: single use, conditional moves, expiry on read. */
public final class InMemoryRequestStore implements RequestStore {
    public final Map<String, PrivacyRequest> requests = new HashMap<>();
    public final Map<String, List<AuditEntry>> audits = new HashMap<>();
    public final Map<String, VerificationToken> tokens = new HashMap<>();
    public final Map<String, DownloadLink> downloads = new HashMap<>();
    public final Map<String, java.util.Set<String>> sourceIps = new HashMap<>();
    /** Every trail line appended twice, as an append the SDK sent again after a lost answer would be. */
    public boolean appendTwice;
    /** Closing a request fails, as a throttled UpdateItem would. */
    public boolean failingClose;
    private final Clock clock;

    public InMemoryRequestStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void create(PrivacyRequest request, AuditEntry first, VerificationToken token) {
        if (requests.putIfAbsent(request.id(), request) != null) {
            throw new IllegalStateException("exists");
        }
        audits.put(request.id(), new ArrayList<>(List.of(first)));
        if (token != null) {
            tokens.put(token.tokenHash(), token);
        }
    }

    @Override
    public Optional<PrivacyRequest> find(String requestId) {
        return Optional.ofNullable(requests.get(requestId));
    }

    @Override
    public Optional<VerificationToken> findToken(String tokenHash) {
        return Optional.ofNullable(tokens.get(tokenHash)).filter(t -> t.expiresAt().isAfter(clock.instant()));
    }

    @Override
    public boolean useToken(String tokenHash, Instant at) {
        VerificationToken token = findToken(tokenHash).orElse(null);
        if (token == null || token.used()) {
            return false;
        }
        tokens.put(tokenHash, new VerificationToken(tokenHash, token.requestId(), token.expiresAt(), at));
        return true;
    }

    @Override
    public boolean transition(String requestId, RequestStatus from, RequestStatus to, Instant at) {
        PrivacyRequest request = requests.get(requestId);
        if (request == null || request.status() != from) {
            return false;
        }
        requests.put(requestId, request.withStatus(to));
        return true;
    }

    @Override
    public boolean close(String requestId, RequestStatus from, RequestStatus to, Instant at) {
        if (failingClose) {
            throw new IllegalStateException("the table is throttled");
        }
        if (!transition(requestId, from, to, at)) {
            return false;
        }
        forgetPersonalData(requestId);
        return true;
    }

    /** As DynamoDB's condition: FAILED, or VERIFIED with its latest "verified" or "retried" line no later than stalledBefore. */
    @Override
    public boolean lapse(String requestId, RequestStatus from, Instant at, Instant stalledBefore) {
        PrivacyRequest request = requests.get(requestId);
        if (request == null || request.status() != from) {
            return false;
        }
        boolean stalled = audit(requestId).stream()
                .filter(e -> e.event().equals("verified") || e.event().equals("retried"))
                .map(AuditEntry::at).max(Comparator.naturalOrder())
                .filter(start -> !start.isAfter(stalledBefore)).isPresent();
        if (from != RequestStatus.FAILED && !(from == RequestStatus.VERIFIED && stalled)) {
            return false;
        }
        return close(requestId, from, RequestStatus.LAPSED, at);
    }

    @Override
    public void addSourceIp(String requestId, String sourceIp) {
        if (requests.containsKey(requestId) && sourceIp != null && !sourceIp.isBlank()) {
            sourceIps.computeIfAbsent(requestId, id -> new java.util.TreeSet<>()).add(sourceIp);
        }
    }

    @Override
    public java.util.Set<String> sourceIps(String requestId) {
        return java.util.Set.copyOf(sourceIps.getOrDefault(requestId, java.util.Set.of()));
    }

    @Override
    public void forgetPersonalData(String requestId) {
        sourceIps.remove(requestId);
        PrivacyRequest r = requests.get(requestId);
        requests.put(requestId, new PrivacyRequest(r.id(), r.type(), r.status(), r.addressHash(), Optional.empty(),
                Optional.empty(), r.source(), r.receivedAt(), r.dueAt(), r.exportKey()));
    }

    @Override
    public void append(String requestId, AuditEntry entry) {
        audits.get(requestId).add(entry);
        if (appendTwice) {
            audits.get(requestId).add(entry);
        }
    }

    @Override
    public List<AuditEntry> audit(String requestId) {
        return List.copyOf(audits.getOrDefault(requestId, List.of()));
    }

    @Override
    public List<PrivacyRequest> byAddress(String addressHash) {
        return requests.values().stream().filter(r -> r.addressHash().equals(addressHash))
                .sorted(Comparator.comparing(PrivacyRequest::receivedAt)).toList();
    }

    @Override
    public List<PrivacyRequest> open() {
        return requests.values().stream().filter(r -> r.status().open())
                .sorted(Comparator.comparing(PrivacyRequest::dueAt)).toList();
    }

    @Override
    public List<Tracked> openWithTrails() {
        return open().stream().map(r -> new Tracked(r, audit(r.id()))).toList();
    }

    @Override
    public void saveExport(String requestId, DownloadLink link) {
        downloads.put(link.tokenHash(), link);
        PrivacyRequest r = requests.get(requestId);
        requests.put(requestId, new PrivacyRequest(r.id(), r.type(), r.status(), r.addressHash(), r.email(),
                r.correction(), r.source(), r.receivedAt(), r.dueAt(), Optional.of(link.exportKey())));
    }

    @Override
    public Optional<DownloadLink> findDownload(String tokenHash) {
        return Optional.ofNullable(downloads.get(tokenHash)).filter(d -> d.expiresAt().isAfter(clock.instant()));
    }

    @Override
    public void forgetExport(String requestId) {
        downloads.values().removeIf(d -> d.requestId().equals(requestId));
        PrivacyRequest r = requests.get(requestId);
        requests.put(requestId, new PrivacyRequest(r.id(), r.type(), r.status(), r.addressHash(), r.email(),
                r.correction(), r.source(), r.receivedAt(), r.dueAt(), Optional.empty()));
    }

    /** Whether any stored request still holds this address. */
    public boolean holdsAddress(String address) {
        return requests.values().stream().anyMatch(r -> r.email().map(e -> e.value().equals(address)).orElse(false));
    }
}
