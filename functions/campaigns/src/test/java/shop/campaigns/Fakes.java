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
import shop.core.admin.AdminAction;
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
        /** The trail lines written with the owner's changes, as the real store writes them: with the change only. */
        final List<AdminAction> lines = new ArrayList<>();

        @Override
        public void create(Campaign campaign, AdminAction line) {
            campaigns.put(campaign.id(), campaign);
            lines.add(line);
        }

        /** A campaign as the dispatcher and the senders find it, with no owner's line. */
        void create(Campaign campaign) {
            campaigns.put(campaign.id(), campaign);
        }

        @Override
        public Optional<Campaign> find(String id) {
            return Optional.ofNullable(campaigns.get(id)).map(c -> c.withCounts(counts(id)));
        }

        CampaignCounts counts(String id) {
            Map<String, Long> c = counters.getOrDefault(id, Map.of());
            return new CampaignCounts(c.getOrDefault("queued", 0L), c.getOrDefault("handled", 0L),
                    c.getOrDefault("recipients", 0L), c.getOrDefault("sent", 0L), c.getOrDefault("skipped", 0L),
                    c.getOrDefault("failed", 0L), c.getOrDefault("givenUp", 0L), 0, 0, 0, 0, 0);
        }

        @Override
        public Page list(int limit, Optional<Position> after) {
            // As the index orders them: by createdAt in epoch milliseconds (as the table keeps it), then id.
            List<Campaign> newest = campaigns.values().stream()
                    .sorted(java.util.Comparator.comparing((Campaign c) -> c.createdAt().toEpochMilli())
                            .thenComparing(Campaign::id).reversed())
                    .filter(c -> after.isEmpty() || c.createdAt().toEpochMilli() < after.get().createdAt().toEpochMilli()
                            || (c.createdAt().toEpochMilli() == after.get().createdAt().toEpochMilli()
                                    && c.id().compareTo(after.get().id()) < 0))
                    .toList();
            List<Campaign> page = newest.subList(0, Math.min(limit, newest.size()));
            return new Page(page, newest.size() > limit
                    ? Optional.of(new Position(page.get(limit - 1).createdAt(), page.get(limit - 1).id())) : Optional.empty());
        }

        @Override
        public boolean updateDraft(String id, String subject, String html, String text, AdminAction line) {
            Campaign c = campaigns.get(id);
            if (c == null || c.status() != Campaign.Status.DRAFT) {
                return false;
            }
            campaigns.put(id, new Campaign(id, subject, html, text, c.status(), c.sendAt(), c.createdAt(), c.createdBy(),
                    c.pass(), c.counts(), c.finishedAt()));
            lines.add(line);
            return true;
        }

        @Override
        public boolean transition(String id, Set<Campaign.Status> from, Campaign.Status to, Instant sendAt, boolean newPass,
                                  AdminAction line) {
            if (!transition(id, from, to, sendAt, newPass)) {
                return false;
            }
            lines.add(line);
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
                counters.computeIfAbsent(id, k -> new HashMap<>()).put("queued", 0L);
                counters.get(id).put("handled", 0L);
            }
            campaigns.put(id, new Campaign(id, c.subject(), c.html(), c.text(), to, sendAt == null ? c.sendAt() : sendAt,
                    c.createdAt(), c.createdBy(), newPass ? c.pass() + 1 : c.pass(), c.counts(), c.finishedAt()));
            return true;
        }

        @Override
        public List<Campaign> due(Instant now) {
            return campaigns.values().stream().filter(c -> EnumSet.of(Campaign.Status.SCHEDULED, Campaign.Status.SENDING,
                    Campaign.Status.DISPATCHED).contains(c.status()) && !c.sendAt().isAfter(now))
                    .map(c -> c.withCounts(counts(c.id()))).toList();
        }

        @Override
        public Optional<String> cursor(String id) {
            return Optional.ofNullable(cursors.get(id));
        }

        @Override
        public synchronized boolean advance(String id, int pass, Optional<String> from, String cursor, int queued) {
            Campaign c = campaigns.get(id);
            if (c.status() != Campaign.Status.SENDING || c.pass() != pass
                    || !from.equals(Optional.ofNullable(cursors.get(id)))) {
                return false;
            }
            cursors.put(id, cursor);
            count(id, "queued", queued);
            return true;
        }

        @Override
        public synchronized boolean dispatched(String id, int pass, int queued) {
            Campaign c = campaigns.get(id);
            if (c.status() != Campaign.Status.SENDING || c.pass() != pass) {
                return false;
            }
            count(id, "queued", queued);
            return transition(id, Set.of(Campaign.Status.SENDING), Campaign.Status.DISPATCHED, null, false);
        }

        synchronized void count(String id, String counter, long delta) {
            counters.computeIfAbsent(id, k -> new HashMap<>()).merge(counter, delta, Long::sum);
        }

        /** As a send record's transaction counts: {@code counters}, and handled while the campaign is on {@code pass}. */
        synchronized boolean counted(String id, int pass, Map<String, Long> counters) {
            counters.forEach((counter, delta) -> count(id, counter, delta));
            Campaign c = campaigns.get(id);
            if (pass <= 0 || c == null || c.pass() != pass) {
                return false;
            }
            count(id, "handled", 1);
            return true;
        }

        /** Every call that made a campaign SENT, by campaign id. */
        final List<String> finished = new ArrayList<>();

        @Override
        public synchronized boolean finish(String id, int pass, Instant at) {
            Campaign c = campaigns.get(id);
            CampaignCounts counts = counts(id);
            if (c == null || c.status() != Campaign.Status.DISPATCHED || c.pass() != pass
                    || counts.handled() < counts.queued()) {
                return false;
            }
            campaigns.put(id, new Campaign(id, c.subject(), c.html(), c.text(), Campaign.Status.SENT, c.sendAt(),
                    c.createdAt(), c.createdBy(), c.pass(), c.counts(), at));
            finished.add(id);
            return true;
        }
    }

    /** Send records; the counts that go in one transaction with a record are made on {@code campaigns}. */
    static final class Records implements SendRecords {
        /** What a record holds: the pass that claimed it, the pass it was counted in (0: not yet), its outcome. */
        static final class Record {
            final int pass;
            final Instant claimedAt;
            int counted;
            String outcome = "CLAIMED";
            boolean failed;
            /** When the attempt under way began; null when none is. */
            Instant attemptAt;

            Record(int pass, Instant claimedAt) {
                this.pass = pass;
                this.claimedAt = claimedAt;
                this.attemptAt = claimedAt;
            }
        }

        final Map<String, Record> records = new HashMap<>();
        private final Campaigns campaigns;

        Records(Campaigns campaigns) {
            this.campaigns = campaigns;
        }

        @Override
        public synchronized Claim claim(String campaignId, String addressHash, int pass, Instant at) {
            Record record = records.get(campaignId + "#" + addressHash);
            if (record == null) {
                records.put(campaignId + "#" + addressHash, new Record(pass, at));
                return Claim.NEW;
            }
            if (record.failed && record.attemptAt == null) {
                record.attemptAt = at;
                return Claim.RETRY;
            }
            return record.failed ? Claim.RETRYING : Claim.TAKEN;
        }

        @Override
        public synchronized boolean sent(String campaignId, String addressHash, int pass, Claim claim, String messageId,
                                         Instant at) {
            return outcome(campaignId, addressHash, pass, claim, messageId, "sent");
        }

        @Override
        public synchronized boolean skipped(String campaignId, String addressHash, int pass, Claim claim, String why) {
            return outcome(campaignId, addressHash, pass, claim, "SKIPPED", "skipped");
        }

        @Override
        public synchronized boolean failed(String campaignId, String addressHash, int pass, Claim claim, String why,
                                           Instant attemptAt) {
            Record record = records.get(campaignId + "#" + addressHash);
            if (record == null || !record.outcome.equals("CLAIMED")
                    || claim == Claim.NEW && record.failed) {
                throw new IllegalStateException("No record, or an outcome there already");
            }
            record.failed = true;
            record.attemptAt = null;
            return count(record, campaignId, pass, claim == Claim.NEW ? Map.of("failed", 1L, "recipients", 1L) : Map.of());
        }

        private boolean outcome(String campaignId, String addressHash, int pass, Claim claim, String outcome,
                                String counter) {
            Record record = records.get(campaignId + "#" + addressHash);
            if (record == null || !record.outcome.equals("CLAIMED") || record.failed != (claim == Claim.RETRY)) {
                throw new IllegalStateException("No record, or an outcome there already");
            }
            record.outcome = outcome;
            record.failed = false;
            record.attemptAt = null;
            return count(record, campaignId, pass, claim == Claim.RETRY ? Map.of(counter, 1L, "failed", -1L)
                    : Map.of(counter, 1L, "recipients", 1L));
        }

        /** The record counted with its outcome, as one transaction: handled in {@code pass} unless counted in it or later. */
        private boolean count(Record record, String campaignId, int pass, Map<String, Long> counters) {
            Campaign campaign = campaigns.campaigns.get(campaignId);
            boolean inPass = record.counted < pass && campaign != null && campaign.pass() == pass;
            if (inPass || record.counted == 0) {
                record.counted = pass;
            }
            campaigns.counted(campaignId, inPass ? pass : 0, counters);
            return inPass;
        }

        @Override
        public synchronized void release(String campaignId, String addressHash, Claim claim) {
            if (claim == Claim.RETRY) {
                records.get(campaignId + "#" + addressHash).attemptAt = null;
            } else {
                records.remove(campaignId + "#" + addressHash);
            }
        }

        /** Runs once at the next {@link #adopt}, before it reads: what another sender did meanwhile. */
        Runnable beforeAdopt = () -> { };

        @Override
        public synchronized Adopted adopt(String campaignId, String addressHash, int pass, Instant abandonedBefore) {
            Runnable meanwhile = beforeAdopt;
            beforeAdopt = () -> { };
            meanwhile.run();
            Record record = records.get(campaignId + "#" + addressHash);
            if (record == null) {
                return Adopted.GONE;
            }
            boolean abandoned = record.claimedAt.isBefore(abandonedBefore);
            boolean givenUp = record.outcome.equals("CLAIMED") && !record.failed && abandoned;
            boolean inPass = record.counted > 0 ? record.counted < pass : record.pass < pass || abandoned;
            if (!inPass && !givenUp) {
                return Adopted.NOTHING;
            }
            Campaign campaign = campaigns.campaigns.get(campaignId);
            boolean onPass = campaign != null && campaign.pass() == pass;
            if (!onPass && !givenUp) {
                return Adopted.NOTHING;
            }
            if (inPass && onPass) {
                record.counted = pass;
            }
            if (givenUp) {
                record.outcome = "GIVEN_UP";
            }
            campaigns.counted(campaignId, inPass && onPass ? pass : 0,
                    givenUp ? Map.of("givenUp", 1L, "recipients", 1L) : Map.of());
            return givenUp ? Adopted.GIVEN_UP : Adopted.COUNTED;
        }

        @Override
        public synchronized boolean giveUp(String campaignId, String addressHash, Instant abandonedBefore) {
            Record record = records.get(campaignId + "#" + addressHash);
            if (record == null || !record.failed || record.attemptAt == null
                    || !record.attemptAt.isBefore(abandonedBefore)) {
                return false;
            }
            record.failed = false;
            record.attemptAt = null;
            record.outcome = "GIVEN_UP";
            campaigns.count(campaignId, "failed", -1);
            campaigns.count(campaignId, "givenUp", 1);
            return true;
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

        /** Every confirmed subscriber, suppressed or not, as the index holds them (the senders skip the suppressed). */
        @Override
        public long count() {
            return confirmed.size();
        }
    }

    static final class Mailer implements CampaignMailer {
        final List<Email> sent = new ArrayList<>();
        RuntimeException failNext;
        /** SES refusing every mail while set (an account paused, say). */
        RuntimeException failAll;

        @Override
        public String send(Email email, String campaignId) {
            if (failAll != null) {
                throw failAll;
            }
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
        final List<Integer> passes = new ArrayList<>();

        @Override
        public void enqueue(String campaignId, int pass, List<String> addressHashes) {
            messages.add(List.copyOf(addressHashes));
            passes.add(pass);
        }
    }
}
