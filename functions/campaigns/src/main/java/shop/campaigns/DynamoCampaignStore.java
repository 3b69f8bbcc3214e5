package shop.campaigns;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import shop.core.dynamo.DynamoItems;
import shop.core.retention.RetentionSchedule;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Campaign items {@code CAMPAIGN#<id>} in the campaigns table. Two sparse indexes: every campaign
 * has {@code list} (CampaignsByCreated, newest first); only one that waits to be sent or is being
 * sent has {@code due} (CampaignsDue, by {@code sendAt}), so the dispatcher's minute-by-minute
 * look is a Query of the few that are due. {@code handled} counts the recipients of the current
 * pass a sender is done with; {@code finishedAt} is set when the campaign becomes SENT.
 */
final class DynamoCampaignStore implements CampaignStore {
    static final String BY_CREATED = "CampaignsByCreated";
    static final String DUE = "CampaignsDue";
    private static final List<String> COUNTERS = List.of("queued", "handled", "recipients", "sent", "skipped",
            "delivered", "bounced", "softBounced", "complained");

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    DynamoCampaignStore(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public void create(Campaign campaign) {
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
        dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
    }

    @Override
    public Optional<Campaign> find(String id) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key("CAMPAIGN#" + id)).consistentRead(true)).item();
        return DynamoItems.live(item, clock.instant()).map(DynamoCampaignStore::campaign);
    }

    @Override
    public List<Campaign> list(int limit) {
        return dynamo.query(b -> b.tableName(table).indexName(BY_CREATED)
                        .keyConditionExpression("#list = :list")
                        .expressionAttributeNames(Map.of("#list", "list"))
                        .expressionAttributeValues(Map.of(":list", s("CAMPAIGN")))
                        .scanIndexForward(false).limit(limit))
                .items().stream()
                .filter(item -> !DynamoItems.expired(item, clock.instant()))
                .map(DynamoCampaignStore::campaign).toList();
    }

    @Override
    public boolean updateDraft(String id, String subject, String html, String text) {
        return update(UpdateItemRequest.builder().tableName(table).key(key("CAMPAIGN#" + id))
                .updateExpression("SET #subject = :subject, #html = :html, #text = :text")
                .conditionExpression("#status = :draft")
                .expressionAttributeNames(Map.of("#subject", "subject", "#html", "html", "#text", "text",
                        "#status", "status"))
                .expressionAttributeValues(Map.of(":subject", s(subject), ":html", s(html), ":text", s(text),
                        ":draft", s(Campaign.Status.DRAFT.name())))
                .build());
    }

    @Override
    public boolean transition(String id, Set<Campaign.Status> from, Campaign.Status to, Instant sendAt,
                              boolean newPass) {
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
        return update(UpdateItemRequest.builder().tableName(table).key(key("CAMPAIGN#" + id))
                .updateExpression(expression)
                .conditionExpression("#status IN (" + String.join(", ", fromValues) + ")")
                .expressionAttributeNames(names).expressionAttributeValues(values).build());
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
                        .filter(c -> c.status() == Campaign.Status.SCHEDULED || c.status() == Campaign.Status.SENDING)
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
    public boolean advance(String id, int pass, String cursor, int queued) {
        return update(UpdateItemRequest.builder().tableName(table).key(key("CAMPAIGN#" + id))
                .updateExpression("SET #cursor = :cursor ADD #queued :queued")
                .conditionExpression("#status = :sending AND #pass = :pass")
                .expressionAttributeNames(Map.of("#cursor", "cursor", "#queued", "queued", "#status", "status",
                        "#pass", "pass"))
                .expressionAttributeValues(Map.of(":cursor", s(cursor), ":queued", n(queued),
                        ":sending", s(Campaign.Status.SENDING.name()), ":pass", n(pass)))
                .build());
    }

    @Override
    public boolean dispatched(String id, int pass, int queued) {
        return update(UpdateItemRequest.builder().tableName(table).key(key("CAMPAIGN#" + id))
                // A campaign written before handled was counted gets it here, so that finish can compare.
                .updateExpression("SET #status = :dispatched, #handled = if_not_exists(#handled, :zero)"
                        + " REMOVE #due, #cursor ADD #queued :queued")
                .conditionExpression("#status = :sending AND #pass = :pass")
                .expressionAttributeNames(Map.of("#cursor", "cursor", "#queued", "queued", "#status", "status",
                        "#pass", "pass", "#due", "due", "#handled", "handled"))
                .expressionAttributeValues(Map.of(":queued", n(queued), ":dispatched", s(Campaign.Status.DISPATCHED.name()),
                        ":sending", s(Campaign.Status.SENDING.name()), ":pass", n(pass), ":zero", n(0)))
                .build());
    }

    @Override
    public long handled(String id, int pass, String counter) {
        if (counter != null && !COUNTERS.contains(counter)) {
            throw new IllegalArgumentException("No counter " + counter);
        }
        Map<String, String> names = new HashMap<>(Map.of("#handled", "handled", "#pass", "pass"));
        if (counter != null) {
            names.put("#counter", counter);
        }
        String add = counter == null ? "ADD #handled :one" : "ADD #handled :one, #counter :one";
        try {
            var answer = dynamo.updateItem(b -> b.tableName(table).key(key("CAMPAIGN#" + id))
                    .updateExpression(add)
                    .conditionExpression("#pass = :pass")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(Map.of(":one", n(1), ":pass", n(pass)))
                    .returnValues(ReturnValue.UPDATED_NEW));
            return number(answer.attributes(), "handled");
        } catch (ConditionalCheckFailedException anotherPass) {
            if (counter != null) {
                count(id, counter, 1);
            }
            return -1;
        }
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

    @Override
    public void count(String id, String counter, long delta) {
        if (!COUNTERS.contains(counter)) {
            throw new IllegalArgumentException("No counter " + counter);
        }
        update(UpdateItemRequest.builder().tableName(table).key(key("CAMPAIGN#" + id))
                .updateExpression("ADD #counter :delta")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeNames(Map.of("#counter", counter))
                .expressionAttributeValues(Map.of(":delta", n(delta)))
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
                        number(item, "sent"), number(item, "skipped"), number(item, "delivered"), number(item, "bounced"),
                        number(item, "softBounced"), number(item, "complained"), 0),
                item.containsKey("finishedAt") ? Instant.ofEpochSecond(number(item, "finishedAt")) : null);
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }
}
