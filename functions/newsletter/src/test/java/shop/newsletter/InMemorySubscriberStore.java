package shop.newsletter;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import shop.core.mail.Suppression;

/** A fake of the store with the same rules as the DynamoDB one, for fast service tests. */
final class InMemorySubscriberStore implements SubscriberStore {
    private record Row(Subscriber subscriber, Instant expiresAt) {
    }

    final Map<String, Row> subscribers = new HashMap<>();
    final Map<String, LinkToken> tokens = new HashMap<>();
    final Map<String, Suppression> suppressions = new HashMap<>();
    private final Clock clock;

    InMemorySubscriberStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Optional<Subscriber> find(String addressHash) {
        Row row = subscribers.get(addressHash);
        if (row == null || (row.expiresAt() != null && !row.expiresAt().isAfter(clock.instant()))) {
            return Optional.empty();
        }
        return Optional.of(row.subscriber());
    }

    @Override
    public boolean savePending(Subscriber pending, Instant expiresAt, LinkToken... newTokens) {
        for (LinkToken token : newTokens) {
            tokens.put(token.tokenHash(), token);
        }
        Row existing = subscribers.get(pending.addressHash());
        if (existing != null && existing.subscriber().status() == Subscriber.Status.CONFIRMED) {
            return false;
        }
        subscribers.put(pending.addressHash(), new Row(pending, expiresAt));
        return true;
    }

    @Override
    public Optional<LinkToken> findToken(String tokenHash) {
        return Optional.ofNullable(tokens.get(tokenHash)).filter(t -> t.expiresAt().isAfter(clock.instant()));
    }

    @Override
    public Confirmation confirm(String addressHash, ConsentProof consent, Optional<Suppression> lifted) {
        Row row = subscribers.get(addressHash);
        if (row == null || row.subscriber().status() != Subscriber.Status.PENDING) {
            return Confirmation.NOT_PENDING;
        }
        if (!Objects.equals(suppressions.get(addressHash), lifted.orElse(null))) {
            return Confirmation.SUPPRESSED_MEANWHILE;
        }
        var confirmed = new Subscriber(addressHash, row.subscriber().email(), Subscriber.Status.CONFIRMED, consent);
        subscribers.put(addressHash, new Row(confirmed, null));
        lifted.ifPresent(suppression -> suppressions.remove(addressHash, suppression));
        return Confirmation.CONFIRMED;
    }

    @Override
    public void markUsed(String tokenHash, Instant at) {
        tokens.computeIfPresent(tokenHash, (hash, t) -> t.used() ? t
                : t.usedAt(at));
    }

    @Override
    public void unsubscribe(LinkToken link, Instant at) {
        String addressHash = link.addressHash();
        String keepTokenHash = link.tokenHash();
        suppressions.put(addressHash, new Suppression(Suppression.UNSUBSCRIBE, at));
        markUsed(keepTokenHash, at);
        subscribers.remove(addressHash);
        // As the index TokensByAddress finds them: every live token naming the address, but the
        // one used here and unsubscribe links used before.
        tokens.values().removeIf(t -> t.addressHash().equals(addressHash) && !t.tokenHash().equals(keepTokenHash)
                && t.expiresAt().isAfter(clock.instant())
                && !(t.purpose() == LinkToken.Purpose.UNSUBSCRIBE && t.used()));
    }

    @Override
    public Optional<Suppression> suppression(String addressHash) {
        return Optional.ofNullable(suppressions.get(addressHash));
    }
}
