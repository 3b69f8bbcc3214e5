package shop.privacy.testing;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import shop.privacy.SubscriberRecords;

/** The subscribers table's privacy view in memory: subscriber with consent, tokens, suppression, deactivation. */
public final class InMemorySubscriberRecords implements SubscriberRecords {
    /** The erasure's subscriber step fails, as a throttled or unreachable table does. */
    public boolean failingErase;
    /** The opt-out's deactivation step fails, likewise. */
    public boolean failingDeactivate;

    public final Map<String, Map<String, Object>> subscribers = new HashMap<>();
    public final Map<String, Set<String>> tokens = new HashMap<>();
    public final Set<String> suppressed = new HashSet<>();
    /** The suppression's {@code since}, where an unsubscribe wrote one. */
    public final Map<String, Instant> suppressedSince = new HashMap<>();
    /** The unsubscribe fails, likewise. */
    public boolean failingUnsubscribe;
    public final Set<String> deactivated = new HashSet<>();

    /** A confirmed subscriber as the newsletter stores it. */
    public void subscribe(String addressHash, String email) {
        subscribe(addressHash, email, Instant.parse("2026-01-01T10:00:00Z"));
    }

    /**
     * A signup requested at {@code at} and confirmed five minutes later, as the newsletter's form
     * (or the account, confirmed at once) stores it: it lifts the suppression, as a fresh signup's
     * confirm does.
     */
    public void subscribe(String addressHash, String email, Instant at) {
        suppressed.remove(addressHash);
        suppressedSince.remove(addressHash);
        Map<String, Object> consent = new LinkedHashMap<>();
        consent.put("givenAt", at.toString());
        consent.put("policyVersion", "2016-07-01");
        consent.put("source", "footer");
        consent.put("confirmedAt", at.plusSeconds(300).toString());
        Map<String, Object> subscriber = new LinkedHashMap<>();
        subscriber.put("email", email);
        subscriber.put("status", "CONFIRMED");
        subscriber.put("consent", consent);
        subscribers.put(addressHash, subscriber);
        tokens.put(addressHash, new HashSet<>(Set.of("t1-" + addressHash, "t2-" + addressHash)));
    }

    @Override
    public Map<String, Object> export(String addressHash) {
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("subscriber", subscribers.get(addressHash));
        export.put("linkTokens", tokens.getOrDefault(addressHash, Set.of()).stream()
                .map(t -> Map.<String, Object>of("pk", "TOKEN#" + t)).toList());
        export.put("suppression", suppressed.contains(addressHash) ? Map.of("since", "then") : null);
        export.put("deactivation", deactivated.contains(addressHash) ? Map.of("since", "then") : null);
        return export;
    }

    /** As of {@code asOf}, as the adapter: a signup requested later stays, an as late suppression is not moved. */
    @Override
    public Unsubscribed unsubscribe(String addressHash, Instant asOf, String reason) {
        if (failingUnsubscribe) {
            throw new IllegalStateException("DynamoDB is down");
        }
        return asOf(addressHash, asOf);
    }

    /** As of {@code asOf}, as the unsubscribe; the deactivation goes either way. */
    @Override
    public Erased erase(String addressHash, Instant asOf) {
        if (failingErase) {
            throw new IllegalStateException("DynamoDB is down");
        }
        Unsubscribed subscriber = asOf(addressHash, asOf);
        return new Erased((subscriber == Unsubscribed.REMOVED ? 1 : 0) + (deactivated.remove(addressHash) ? 1 : 0),
                subscriber == Unsubscribed.NEWER_SUBSCRIPTION_KEPT);
    }

    private Unsubscribed asOf(String addressHash, Instant asOf) {
        Map<String, Object> subscriber = subscribers.get(addressHash);
        if (subscriber != null && Instant.parse((String) ((Map<?, ?>) subscriber.get("consent")).get("givenAt")).isAfter(asOf)) {
            return Unsubscribed.NEWER_SUBSCRIPTION_KEPT;
        }
        Instant since = suppressedSince.get(addressHash);
        if (!suppressed.contains(addressHash) || since != null && since.isBefore(asOf)) {
            suppressed.add(addressHash);
            suppressedSince.put(addressHash, asOf);
        }
        tokens.remove(addressHash);
        return subscribers.remove(addressHash) != null ? Unsubscribed.REMOVED : Unsubscribed.NOT_SUBSCRIBED;
    }

    @Override
    public void deactivate(String addressHash, String requestId, Instant at) {
        if (failingDeactivate) {
            throw new IllegalStateException("DynamoDB is down");
        }
        deactivated.add(addressHash);
    }

    @Override
    public boolean reactivate(String addressHash) {
        return deactivated.remove(addressHash);
    }

    public List<String> emails() {
        return subscribers.values().stream().map(s -> (String) s.get("email")).toList();
    }
}
