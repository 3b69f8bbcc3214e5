package shop.campaigns;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import shop.core.admin.AdminAction;
import shop.core.dynamo.DynamoAuditTrail;
import shop.core.dynamo.DynamoItems;
import shop.core.dynamo.DynamoTransactions;
import shop.core.retention.RetentionSchedule;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Campaign items {@code CAMPAIGN#<id>} in the campaigns table. Two sparse indexes: every campaign
 * has {@code list} (CampaignsByCreated, newest first); only one that waits to be sent or is being
 * sent (scheduled, sending, or dispatched and not yet SENT) has {@code due} (CampaignsDue, by
 * {@code sendAt}), so the dispatcher's minute-by-minute look is a Query of those few; SENT, a pause
 * and a cancel remove it. {@code handled} counts the recipients of the current
 * pass a sender is done with, and with the other sending counters moves only in one transaction
 * with a recipient's send record ({@link #countersWrite}); {@code finishedAt} is set when the
 * campaign becomes SENT. An owner's
 * change (create, edit, schedule, pause, resume, cancel) is one {@code TransactWriteItems}: the
 * campaign's Put or Update, whose condition is the rule (a new id, still a draft, a status it may
 * leave), and the Put of its line in the audit trail ({@link DynamoAuditTrail#line}).
 */
final class DynamoCampaignStore implements CampaignStore {
    static final String BY_CREATED = "CampaignsByCreated";
    static final String DUE = "CampaignsDue";
    private static final List<String> COUNTERS = List.of("queued", "handled", "recipients", "sent", "skipped",
            "failed", "givenUp", "delivered", "bounced", "softBounced", "complained");

    private final DynamoDbClient dynamo;
    private final String table;
    private final DynamoAuditTrail trail;
    private final Clock clock;

    /** Campaigns as the dispatcher and the senders change them: no owner's change, no line. */
    DynamoCampaignStore(DynamoDbClient dynamo, String table, Clock clock) {
        this(dynamo, table, null, clock);
    }

    /** Campaigns as the owner changes them: each change written with its line of {@code trail}. */
    DynamoCampaignStore(DynamoDbClient dynamo, String table, DynamoAuditTrail trail, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.trail = trail;
        this.clock = clock;
    }

    @Override
    public void create(Campaign campaign, AdminAction line) {
        Map<String, AttributeValue> item = new HashMap<>(key("CAMPAIGN#" + campaign.id()));
        item.put("list", s("CAMPAIGN"));
        item.put("createdAt", n(campaign.createdAt().toEpochMilli()));
        item.put("createdBy", s(campaign.createdBy()));
        item.put("subject", s(campaign.subject()));
        item.put("html", s(campaign.html()));
        item.put("text", s(campaign.text()));
        item.put("status", s(campaign.status().name()));
        item.put("pass", n(campaign.pass()));
        COUNTERS.forEach(counter -> item.put(counter, n(0)));
        item.put(RetentionSchedule.TTL_ATTRIBUTE, n(RetentionSchedule.CAMPAIGN.expiresAt(campaign.createdAt())));
        if (!writeWithLine("campaign.create", TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk)").build()).build(), line)) {
            // A new random id: never refused unless the same campaign is written twice.
            throw new IllegalStateException("A campaign with this id exists already");
        }
    }

    @Override
    public Optional<Campaign> find(String id) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key("CAMPAIGN#" + id)).consistentRead(true)).item();
        return DynamoItems.live(item, clock.instant()).map(DynamoCampaignStore::campaign);
    }

    @Override
    public Page list(int limit, Optional<Position> after) {
        var page = dynamo.query(b -> {
            b.tableName(table).indexName(BY_CREATED)
                    .keyConditionExpression("#list = :list")
                    .expressionAttributeNames(Map.of("#list", "list"))
                    .expressionAttributeValues(Map.of(":list", s("CAMPAIGN")))
                    .scanIndexForward(false).limit(limit);
            // The index's key of the page before's last campaign: its table key, the list and its createdAt.
            after.ifPresent(position -> b.exclusiveStartKey(Map.of("pk", s("CAMPAIGN#" + position.id()),
                    "list", s("CAMPAIGN"), "createdAt", n(position.createdAt().toEpochMilli()))));
        });
        List<Campaign> campaigns = page.items().stream()
                .filter(item -> !DynamoItems.expired(item, clock.instant()))
                .map(DynamoCampaignStore::campaign).toList();
        Optional<Position> next = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                ? Optional.of(new Position(Instant.ofEpochMilli(number(page.lastEvaluatedKey(), "createdAt")),
                        page.lastEvaluatedKey().get("pk").s().substring("CAMPAIGN#".length())))
                : Optional.empty();
        return new Page(campaigns, next);
    }

    @Override
    public boolean updateDraft(String id, String subject, String html, String text, AdminAction line) {
        return writeWithLine("campaign.update", new DynamoWrite(id,
                "SET #subject = :subject, #html = :html, #text = :text", "#status = :draft",
                Map.of("#subject", "subject", "#html", "html", "#text", "text", "#status", "status"),
                Map.of(":subject", s(subject), ":html", s(html), ":text", s(text),
                        ":draft", s(Campaign.Status.DRAFT.name()))).transactional(table), line);
    }

    @Override
    public boolean transition(String id, Set<Campaign.Status> from, Campaign.Status to, Instant sendAt,
                              boolean newPass) {
        return update(transitionWrite(id, from, to, sendAt, newPass).single(table));
    }

    @Override
    public boolean transition(String id, Set<Campaign.Status> from, Campaign.Status to, Instant sendAt,
                              boolean newPass, AdminAction line) {
        return writeWithLine("campaign.transition", transitionWrite(id, from, to, sendAt, newPass).transactional(table),
                line);
    }

    private static DynamoWrite transitionWrite(String id, Set<Campaign.Status> from, Campaign.Status to,
                                               Instant sendAt, boolean newPass) {
        Map<String, String> names = new HashMap<>(Map.of("#status", "status", "#due", "due"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":to", s(to.name())));
        List<String> set = new ArrayList<>(List.of("#status = :to"));
        List<String> remove = new ArrayList<>();
        List<String> fromValues = new ArrayList<>();
        int i = 0;
        for (Campaign.Status status : from) {
            values.put(":from" + i, s(status.name()));
            fromValues.add(":from" + i++);
        }
        if (sendAt != null) {
            names.put("#sendAt", "sendAt");
            values.put(":sendAt", n(sendAt.getEpochSecond()));
            set.add("#sendAt = :sendAt");
        }
        if (to == Campaign.Status.SCHEDULED || to == Campaign.Status.SENDING) {
            values.put(":due", s("DUE"));
            set.add("#due = :due");
        } else {
            remove.add("#due");
        }
        if (newPass) {
            names.put("#pass", "pass");
            names.put("#queued", "queued");
            names.put("#cursor", "cursor");
            names.put("#handled", "handled");
            values.put(":one", n(1));
            values.put(":zero", n(0));
            set.add("#pass = #pass + :one");
            set.add("#queued = :zero");
            set.add("#handled = :zero");
            remove.add("#cursor");
        }
        String expression = "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        return new DynamoWrite(id, expression, "#status IN (" + String.join(", ", fromValues) + ")", names, values);
    }

    /** One conditional update of a campaign item, sent alone or as an operation of a transaction. */
    record DynamoWrite(String id, String update, String condition, Map<String, String> names,
                               Map<String, AttributeValue> values) {
        UpdateItemRequest single(String table) {
            return UpdateItemRequest.builder().tableName(table).key(key("CAMPAIGN#" + id)).updateExpression(update)
                    .conditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values)
                    .build();
        }

        TransactWriteItem transactional(String table) {
            return TransactWriteItem.builder().update(Update.builder().tableName(table).key(key("CAMPAIGN#" + id))
                    .updateExpression(update).conditionExpression(condition).expressionAttributeNames(names)
                    .expressionAttributeValues(values).build()).build();
        }
    }

    /**
     * The campaign's conditional write and its trail line as one transaction: true when both are
     * written, false when the campaign's condition refused it (and neither is).
     */
    private boolean writeWithLine(String step, TransactWriteItem campaign, AdminAction line) {
        if (trail == null || line == null) {
            throw new IllegalStateException("An owner's change is written with its line, on a store built with the trail");
        }
        List<Integer> refused = DynamoTransactions.write(dynamo, step, List.of(campaign, trail.line(line)));
        if (refused.isEmpty()) {
            return true;
        }
        if (refused.equals(List.of(0))) {
            return false;
        }
        throw new IllegalStateException("The trail refused a new line: " + refused);
    }

    /**
     * For SnapStart: an owner's change of a campaign no one has, with its line, through the
     * transaction's whole path; refused by its condition, it writes nothing, no line either.
     */
    void prime(String id) {
        AdminAction line = new AdminAction("CAMPAIGN#" + id, clock.instant(), "priming", null, "campaign.cancelled",
                null, null, 0);
        if (transition(id, Set.of(Campaign.Status.DRAFT), Campaign.Status.CANCELLED, null, false, line)) {
            throw new IllegalStateException("A priming change was not refused");
        }
    }

    @Override
    public List<Campaign> due(Instant now) {
        List<Campaign> due = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = dynamo.query(b -> b.tableName(table).indexName(DUE)
                    .keyConditionExpression("#due = :due AND #sendAt <= :now")
                    .expressionAttributeNames(Map.of("#due", "due", "#sendAt", "sendAt"))
                    .expressionAttributeValues(Map.of(":due", s("DUE"), ":now", n(now.getEpochSecond())))
                    .exclusiveStartKey(from));
            for (var item : page.items()) {
                // The index is eventually consistent: the item itself says where the campaign stands.
                find(item.get("pk").s().substring("CAMPAIGN#".length()))
                        .filter(c -> c.status() == Campaign.Status.SCHEDULED || c.status().sends())
                        .ifPresent(due::add);
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return due;
    }

    @Override
    public Optional<String> cursor(String id) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key("CAMPAIGN#" + id)).consistentRead(true)).item();
        return item == null ? Optional.empty() : DynamoItems.string(item, "cursor");
    }

    @Override
    public boolean advance(String id, int pass, Optional<String> from, String cursor, int queued) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":cursor", s(cursor), ":queued", n(queued),
                ":sending", s(Campaign.Status.SENDING.name()), ":pass", n(pass)));
        from.ifPresent(read -> values.put(":from", s(read)));
        // Still where this dispatch read it: two runs at once (or a retry of this write) count each page once.
        return update(UpdateItemRequest.builder().tableName(table).key(key("CAMPAIGN#" + id))
                .updateExpression("SET #cursor = :cursor ADD #queued :queued")
                .conditionExpression("#status = :sending AND #pass = :pass AND "
                        + (from.isPresent() ? "#cursor = :from" : "attribute_not_exists(#cursor)"))
                .expressionAttributeNames(Map.of("#cursor", "cursor", "#queued", "queued", "#status", "status",
                        "#pass", "pass"))
                .expressionAttributeValues(values)
                .build());
    }

    @Override
    public boolean dispatched(String id, int pass, int queued) {
        return update(UpdateItemRequest.builder().tableName(table).key(key("CAMPAIGN#" + id))
                // A campaign written before handled was counted gets it here, so that finish can compare. It
                // keeps due: the dispatcher finishes it should no one else (finish removes it).
                .updateExpression("SET #status = :dispatched, #handled = if_not_exists(#handled, :zero)"
                        + " REMOVE #cursor ADD #queued :queued")
                .conditionExpression("#status = :sending AND #pass = :pass")
                .expressionAttributeNames(Map.of("#cursor", "cursor", "#queued", "queued", "#status", "status",
                        "#pass", "pass", "#handled", "handled"))
                .expressionAttributeValues(Map.of(":queued", n(queued), ":dispatched", s(Campaign.Status.DISPATCHED.name()),
                        ":sending", s(Campaign.Status.SENDING.name()), ":pass", n(pass), ":zero", n(0)))
                .build());
    }

    /**
     * Adds to the campaign's counters ({@code counters}: name to delta) in one write, for a recipient's
     * record to go with in a transaction ({@link DynamoSendRecords}). With {@code pass} above 0 it adds
     * one to {@code handled} too, and holds only while the campaign is on that pass.
     */
    static DynamoWrite countersWrite(String id, Map<String, Long> counters, int pass) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> add = new ArrayList<>();
        Map<String, Long> all = new LinkedHashMap<>(counters);
        if (pass > 0) {
            all.merge("handled", 1L, Long::sum);
            names.put("#pass", "pass");
            values.put(":pass", n(pass));
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("Nothing to count");
        }
        int i = 0;
        for (var counter : all.entrySet()) {
            names.put("#c" + i, counter(counter.getKey()));
            values.put(":c" + i, n(counter.getValue()));
            add.add("#c" + i + " :c" + i++);
        }
        return new DynamoWrite(id, "ADD " + String.join(", ", add), pass > 0 ? "#pass = :pass" : "attribute_exists(pk)",
                names, values);
    }

    private static String counter(String name) {
        if (!COUNTERS.contains(name)) {
            throw new IllegalArgumentException("No counter " + name);
        }
        return name;
    }

    @Override
    public boolean finish(String id, int pass, Instant at) {
        return update(UpdateItemRequest.builder().tableName(table).key(key("CAMPAIGN#" + id))
                .updateExpression("SET #status = :sent, #finishedAt = :at REMOVE #due")
                .conditionExpression("#status = :dispatched AND #pass = :pass AND #handled >= #queued")
                .expressionAttributeNames(Map.of("#status", "status", "#finishedAt", "finishedAt", "#due", "due",
                        "#pass", "pass", "#handled", "handled", "#queued", "queued"))
                .expressionAttributeValues(Map.of(":sent", s(Campaign.Status.SENT.name()), ":at", n(at.getEpochSecond()),
                        ":dispatched", s(Campaign.Status.DISPATCHED.name()), ":pass", n(pass)))
                .build());
    }

    private boolean update(UpdateItemRequest request) {
        try {
            dynamo.updateItem(request);
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Campaign campaign(Map<String, AttributeValue> item) {
        return new Campaign(item.get("pk").s().substring("CAMPAIGN#".length()),
                item.get("subject").s(), item.get("html").s(), item.get("text").s(),
                Campaign.Status.valueOf(item.get("status").s()),
                item.containsKey("sendAt") ? Instant.ofEpochSecond(number(item, "sendAt")) : null,
                Instant.ofEpochMilli(number(item, "createdAt")),
                DynamoItems.string(item, "createdBy").orElse(""),
                (int) number(item, "pass"),
                new CampaignCounts(number(item, "queued"), number(item, "handled"), number(item, "recipients"),
                        number(item, "sent"), number(item, "skipped"), number(item, "failed"),
                        number(item, "givenUp"), number(item, "delivered"), number(item, "bounced"), number(item, "softBounced"),
                        number(item, "complained"), 0),
                item.containsKey("finishedAt") ? Instant.ofEpochSecond(number(item, "finishedAt")) : null);
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }
}
