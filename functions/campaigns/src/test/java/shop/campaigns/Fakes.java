package shop.campaigns;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import shop.core.email.EmailAddress;
import shop.core.mail.Email;

/** In-memory ports for the service tests. */
final class Fakes {
    private Fakes() {
    }

    static final class Campaigns implements CampaignStore {
        final Map<String, Campaign> campaigns = new LinkedHashMap<>();
        final Map<String, String> cursors = new HashMap<>();
        final Map<String, Map<String, Long>> counters = new HashMap<>();

        @Override
        public void create(Campaign campaign) {
            campaigns.put(campaign.id(), campaign);
        }

        @Override
        public Optional<Campaign> find(String id) {
            return Optional.ofNullable(campaigns.get(id)).map(c -> c.withCounts(counts(id)));
        }

        CampaignCounts counts(String id) {
            Map<String, Long> c = counters.getOrDefault(id, Map.of());
            return new CampaignCounts(c.getOrDefault("queued", 0L), c.getOrDefault("recipients", 0L),
                    c.getOrDefault("sent", 0L), c.getOrDefault("skipped", 0L), 0, 0, 0, 0, 0);
        }

        @Override
        public List<Campaign> list(int limit) {
            return List.copyOf(campaigns.values());
        }

        @Override
        public boolean updateDraft(String id, String subject, String html, String text) {
            Campaign c = campaigns.get(id);
            if (c == null || c.status() != Campaign.Status.DRAFT) {
                return false;
            }
            campaigns.put(id, new Campaign(id, subject, html, text, c.status(), c.sendAt(), c.createdAt(), c.createdBy(),
                    c.pass(), c.counts()));
            return true;
        }

        @Override
        public boolean transition(String id, Set<Campaign.Status> from, Campaign.Status to, Instant sendAt, boolean newPass) {
            Campaign c = campaigns.get(id);
            if (c == null || !from.contains(c.status())) {
                return false;
            }
            if (newPass) {
                cursors.remove(id);
            }
            campaigns.put(id, new Campaign(id, c.subject(), c.html(), c.text(), to, sendAt == null ? c.sendAt() : sendAt,
                    c.createdAt(), c.createdBy(), newPass ? c.pass() + 1 : c.pass(), c.counts()));
            return true;
        }

        @Override
        public List<Campaign> due(Instant now) {
            return campaigns.values().stream().filter(c -> EnumSet.of(Campaign.Status.SCHEDULED, Campaign.Status.SENDING)
                    .contains(c.status()) && !c.sendAt().isAfter(now)).toList();
        }

        @Override
        public Optional<String> cursor(String id) {
            return Optional.ofNullable(cursors.get(id));
        }

        @Override
        public boolean advance(String id, int pass, String cursor, int queued) {
            Campaign c = campaigns.get(id);
            if (c.status() != Campaign.Status.SENDING || c.pass() != pass) {
                return false;
            }
            cursors.put(id, cursor);
            count(id, "queued", queued);
            return true;
        }

        @Override
        public boolean dispatched(String id, int pass, int queued) {
            count(id, "queued", queued);
            return transition(id, Set.of(Campaign.Status.SENDING), Campaign.Status.DISPATCHED, null, false);
        }

        @Override
        public void count(String id, String counter, long delta) {
            counters.computeIfAbsent(id, k -> new HashMap<>()).merge(counter, delta, Long::sum);
        }
    }

    static final class Records implements SendRecords {
        final Map<String, String> records = new HashMap<>();

        @Override
        public boolean claim(String campaignId, String addressHash, Instant at) {
            return records.putIfAbsent(campaignId + "#" + addressHash, "CLAIMED") == null;
        }

        @Override
        public void sent(String campaignId, String addressHash, String messageId, Instant at) {
            records.put(campaignId + "#" + addressHash, messageId);
        }

        @Override
        public void skipped(String campaignId, String addressHash, String why) {
            records.put(campaignId + "#" + addressHash, "SKIPPED");
        }

        @Override
        public void release(String campaignId, String addressHash) {
            records.remove(campaignId + "#" + addressHash);
        }
    }

    /** Subscribers by address hash; the hash is the address itself here. */
    static final class People implements Recipients, Audience {
        final Set<String> confirmed = new java.util.TreeSet<>();
        final Set<String> suppressed = new HashSet<>();
        final Map<String, String> tokens = new HashMap<>();

        @Override
        public Optional<EmailAddress> issueUnsubscribeLink(String addressHash, String campaignId, String tokenHash,
                                                           Instant expiresAt, Instant now) {
            if (!confirmed.contains(addressHash)) {
                return Optional.empty();
            }
            tokens.put(tokenHash, campaignId);
            return Optional.of(new EmailAddress(addressHash));
        }

        @Override
        public Page page(Optional<String> after, int limit) {
            List<String> all = new ArrayList<>(confirmed);
            int from = after.map(a -> all.indexOf(a) + 1).orElse(0);
            List<String> page = all.subList(from, Math.min(all.size(), from + limit));
            boolean more = from + limit < all.size();
            return new Page(List.copyOf(page), more ? Optional.of(page.get(page.size() - 1)) : Optional.empty());
        }
    }

    static final class Mailer implements CampaignMailer {
        final List<Email> sent = new ArrayList<>();
        RuntimeException failNext;

        @Override
        public String send(Email email, String campaignId) {
            if (failNext != null) {
                RuntimeException e = failNext;
                failNext = null;
                throw e;
            }
            sent.add(email);
            return "ses-" + sent.size();
        }

        long to(String address) {
            return sent.stream().filter(m -> m.to().value().equals(address)).count();
        }
    }

    static final class Queue implements RecipientQueue {
        final List<List<String>> messages = new ArrayList<>();

        @Override
        public void enqueue(String campaignId, int pass, List<String> addressHashes) {
            messages.add(List.copyOf(addressHashes));
        }
    }
}
