package shop.privacy.stores;

import static shop.core.dynamo.DynamoItems.key;
import static shop.core.dynamo.DynamoItems.n;
import static shop.core.dynamo.DynamoItems.s;
import static shop.core.dynamo.DynamoItems.string;
import static shop.core.dynamo.DynamoItems.text;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import shop.commerce.orders.ShippingAddress;
import shop.core.dynamo.DynamoItems;
import shop.core.email.EmailAddress;
import shop.core.retention.RetentionSchedule;
import shop.privacy.AuditEntry;
import shop.privacy.Correction;
import shop.privacy.DownloadLink;
import shop.privacy.PrivacyRequest;
import shop.privacy.RequestRetention;
import shop.privacy.RequestStatus;
import shop.privacy.RequestStore;
import shop.privacy.RequestType;
import shop.privacy.VerificationToken;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The privacy requests table (template.yaml's PrivacyRequestsTable), one item per key:
 * {@code REQUEST#<id>} (the request, its audit trail as a list that is only ever appended to,
 * and {@code openList} while it is open; its {@code expiresAt} follows its state, and
 * {@code expiresAtIfConfirmed} / {@code expiresAtIfUnconfirmed} hold the expiry a move sets),
 * {@code TOKEN#<sha256>} and {@code DOWNLOAD#<sha256>}.
 * Index {@code byAddress} finds a person's requests by keyed hash; the sparse index {@code open}
 * lists the open ones by due date.
 */
public final class DynamoRequestStore implements RequestStore {
    static final String BY_ADDRESS = "byAddress";
    static final String OPEN = "open";
    private static final String TTL = RetentionSchedule.TTL_ATTRIBUTE;
    /** What a request closed (completed, expired, lapsed) forgets, and leaving the open list. */
    private static final String CLOSED = " REMOVE email, correction, openList, sourceIps";
    /** Fixed width, so that stored times sort as text in the indexes. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoRequestStore(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public void create(PrivacyRequest request, AuditEntry first, VerificationToken token) {
        // The token first: if the request's write fails after it (throttling), what is left is a
        // hash of a token no one was sent, which expires within the hour, not an open request.
        if (token != null) {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(Map.of(
                            "pk", s("TOKEN#" + token.tokenHash()),
                            "requestId", s(token.requestId()),
                            TTL, n(token.expiresAt().getEpochSecond())))
                    .conditionExpression("attribute_not_exists(pk)").build());
        }
        Map<String, AttributeValue> item = new HashMap<>(key(requestKey(request.id())));
        item.put("requestId", s(request.id()));
        item.put("type", s(request.type().wireName()));
        item.put("status", s(request.status().name()));
        item.put("addressHash", s(request.addressHash()));
        request.email().ifPresent(email -> item.put("email", s(email.value())));
        request.correction().ifPresent(correction -> item.put("correction", correctionItem(correction)));
        item.put("source", s(request.source()));
        item.put("receivedAt", s(time(request.receivedAt())));
        item.put("dueAt", s(time(request.dueAt())));
        if (request.status().open()) {
            item.put("openList", s("OPEN"));
        }
        item.put("audit", AttributeValue.fromL(List.of(auditItem(first))));
        item.put(TTL, n(RequestRetention.expiresAt(request.status(), request.receivedAt())));
        // Its expiry in the states it may move to, each from when it was received: a move sets it without a read.
        for (RequestStatus later : List.of(RequestStatus.VERIFIED, RequestStatus.EXPIRED)) {
            item.put(expiryOf(later), n(RequestRetention.expiresAt(later, request.receivedAt())));
        }
        dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk)").build());
    }

    @Override
    public Optional<PrivacyRequest> find(String requestId) {
        return get(requestKey(requestId)).map(DynamoRequestStore::request);
    }

    @Override
    public Optional<VerificationToken> findToken(String tokenHash) {
        return get("TOKEN#" + tokenHash).map(item -> new VerificationToken(tokenHash, item.get("requestId").s(),
                Instant.ofEpochSecond(Long.parseLong(item.get(TTL).n())),
                string(item, "usedAt").map(Instant::parse).orElse(null)));
    }

    @Override
    public boolean useToken(String tokenHash, Instant at) {
        return update(UpdateItemRequest.builder().tableName(table).key(key("TOKEN#" + tokenHash))
                .updateExpression("SET usedAt = :at")
                // Expired but not yet deleted by DynamoDB counts as gone.
                .conditionExpression("attribute_exists(pk) AND attribute_not_exists(usedAt) AND #ttl > :now")
                .expressionAttributeNames(Map.of("#ttl", TTL))
                .expressionAttributeValues(Map.of(":at", s(at.toString()), ":now", n(clock.instant().getEpochSecond()))));
    }

    @Override
    public boolean transition(String requestId, RequestStatus from, RequestStatus to, Instant at) {
        return move(requestId, from, to, at, "", "#status = :from", Map.of());
    }

    @Override
    public boolean close(String requestId, RequestStatus from, RequestStatus to, Instant at) {
        return move(requestId, from, to, at, CLOSED, "#status = :from", Map.of());
    }

    @Override
    public boolean lapse(String requestId, RequestStatus from, Instant at, Instant stalledBefore) {
        // As the retry's claim (DynamoFailedRequests): a VERIFIED request whose run started no later than stalledBefore.
        return move(requestId, from, RequestStatus.LAPSED, at, CLOSED,
                "#status = :from AND (#status = :failed OR (verifiedAt <= :stalled"
                        + " AND (attribute_not_exists(retriedAt) OR retriedAt <= :stalled)))",
                Map.of(":failed", s(RequestStatus.FAILED.name()), ":stalled", s(time(stalledBefore))));
    }

    /**
     * Moves the request from {@code from} to {@code to}, and when that changes its retention sets
     * its expiry to the one written for that term when the request was made (no read, no extra
     * permission; a request written before those were kept its 3 years, and keeps them).
     */
    private boolean move(String requestId, RequestStatus from, RequestStatus to, Instant at, String remove,
                         String condition, Map<String, AttributeValue> values) {
        Map<String, String> names = new HashMap<>(Map.of("#status", "status", "#stamp", stamp(to)));
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.putAll(Map.of(":to", s(to.name()), ":from", s(from.name()), ":at", s(time(at))));
        String set = "SET #status = :to, #stamp = :at";
        if (RequestRetention.changes(from, to)) {
            set += ", #ttl = if_not_exists(" + expiryOf(to) + ", #ttl)";
            names.put("#ttl", TTL);
        }
        return update(UpdateItemRequest.builder().tableName(table).key(key(requestKey(requestId)))
                .updateExpression(set + remove)
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(all));
    }

    /** The attribute holding a request's expiry once in {@code status}, should it move there (RequestRetention). */
    private static String expiryOf(RequestStatus status) {
        return RequestRetention.of(status).equals(RetentionSchedule.PRIVACY_REQUEST_UNCONFIRMED)
                ? "expiresAtIfUnconfirmed" : "expiresAtIfConfirmed";
    }

    @Override
    public void addSourceIp(String requestId, String sourceIp) {
        if (sourceIp == null || sourceIp.isBlank()) {
            return;
        }
        update(UpdateItemRequest.builder().tableName(table).key(key(requestKey(requestId)))
                .updateExpression("ADD sourceIps :ip")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":ip", AttributeValue.fromSs(List.of(sourceIp)))));
    }

    @Override
    public Set<String> sourceIps(String requestId) {
        return get(requestKey(requestId)).filter(item -> item.containsKey("sourceIps"))
                .map(item -> Set.copyOf(item.get("sourceIps").ss())).orElse(Set.of());
    }

    @Override
    public void forgetPersonalData(String requestId) {
        update(UpdateItemRequest.builder().tableName(table).key(key(requestKey(requestId)))
                .updateExpression("REMOVE email, correction, sourceIps")
                .conditionExpression("attribute_exists(pk)"));
    }

    @Override
    public void append(String requestId, AuditEntry entry) {
        dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(key(requestKey(requestId)))
                .updateExpression("SET audit = list_append(if_not_exists(audit, :empty), :entry)")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(
                        ":empty", AttributeValue.fromL(List.of()),
                        ":entry", AttributeValue.fromL(List.of(auditItem(entry)))))
                .build());
    }

    @Override
    public List<AuditEntry> audit(String requestId) {
        return get(requestKey(requestId)).map(DynamoRequestStore::trail).orElse(List.of());
    }

    private static List<AuditEntry> trail(Map<String, AttributeValue> item) {
        return item.containsKey("audit")
                ? item.get("audit").l().stream().map(entry -> auditEntry(entry.m())).toList() : List.of();
    }

    @Override
    public List<PrivacyRequest> byAddress(String addressHash) {
        return query(QueryRequest.builder().tableName(table).indexName(BY_ADDRESS)
                .keyConditionExpression("addressHash = :hash")
                .expressionAttributeValues(Map.of(":hash", s(addressHash))));
    }

    @Override
    public List<PrivacyRequest> open() {
        return query(QueryRequest.builder().tableName(table).indexName(OPEN)
                .keyConditionExpression("openList = :open")
                .expressionAttributeValues(Map.of(":open", s("OPEN"))));
    }

    @Override
    public List<Tracked> openWithTrails() {
        List<Tracked> found = new ArrayList<>();
        Instant now = clock.instant();
        // The index projects every attribute: the trail comes with the request, no read per request.
        for (var page : dynamo.queryPaginator(QueryRequest.builder().tableName(table).indexName(OPEN)
                .keyConditionExpression("openList = :open")
                .expressionAttributeValues(Map.of(":open", s("OPEN"))).build())) {
            for (var item : page.items()) {
                if (!DynamoItems.expired(item, now)) {
                    found.add(new Tracked(request(item), trail(item)));
                }
            }
        }
        return found;
    }

    @Override
    public void saveExport(String requestId, DownloadLink link) {
        dynamo.putItem(PutItemRequest.builder().tableName(table).item(Map.of(
                "pk", s("DOWNLOAD#" + link.tokenHash()),
                "requestId", s(link.requestId()),
                "exportKey", s(link.exportKey()),
                TTL, n(link.expiresAt().getEpochSecond()))).build());
        dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(key(requestKey(requestId)))
                .updateExpression("SET exportKey = :key, downloadTokenHash = :hash")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":key", s(link.exportKey()), ":hash", s(link.tokenHash())))
                .build());
    }

    @Override
    public Optional<DownloadLink> findDownload(String tokenHash) {
        return get("DOWNLOAD#" + tokenHash).map(item -> new DownloadLink(tokenHash, item.get("requestId").s(),
                item.get("exportKey").s(), Instant.ofEpochSecond(Long.parseLong(item.get(TTL).n()))));
    }

    @Override
    public void forgetExport(String requestId) {
        var item = get(requestKey(requestId));
        if (item.isEmpty()) {
            return;
        }
        string(item.get(), "downloadTokenHash").ifPresent(hash ->
                dynamo.deleteItem(b -> b.tableName(table).key(key("DOWNLOAD#" + hash))));
        update(UpdateItemRequest.builder().tableName(table).key(key(requestKey(requestId)))
                .updateExpression("REMOVE exportKey, downloadTokenHash")
                .conditionExpression("attribute_exists(pk)"));
    }

    /**
     * For SnapStart: the open list's Query for requests due before any can be (it finds
     * nothing: no address enters the snapshot) and a request's read of a key never issued.
     */
    public void prime() {
        dynamo.query(QueryRequest.builder().tableName(table).indexName(OPEN)
                .keyConditionExpression("openList = :open AND dueAt < :never")
                .expressionAttributeValues(Map.of(":open", s("OPEN"), ":never", s("0000"))).build());
        get(requestKey("00000000-0000-0000-0000-000000000000"));
    }

    private List<PrivacyRequest> query(QueryRequest.Builder query) {
        List<PrivacyRequest> found = new ArrayList<>();
        Instant now = clock.instant();
        for (var page : dynamo.queryPaginator(query.build())) {
            for (var item : page.items()) {
                if (!DynamoItems.expired(item, now)) {
                    found.add(request(item));
                }
            }
        }
        return found;
    }

    private boolean update(UpdateItemRequest.Builder request) {
        try {
            dynamo.updateItem(request.build());
            return true;
        } catch (ConditionalCheckFailedException notThere) {
            return false;
        }
    }

    private Optional<Map<String, AttributeValue>> get(String pk) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(pk)).consistentRead(true)).item();
        return DynamoItems.live(item, clock.instant());
    }

    private static String requestKey(String requestId) {
        return "REQUEST#" + requestId;
    }

    private static String stamp(RequestStatus status) {
        return status.name().toLowerCase(java.util.Locale.ROOT) + "At";
    }

    static String time(Instant instant) {
        return TIME.format(instant);
    }

    private static PrivacyRequest request(Map<String, AttributeValue> item) {
        return new PrivacyRequest(
                item.get("requestId").s(),
                RequestType.fromWire(item.get("type").s()),
                RequestStatus.valueOf(item.get("status").s()),
                item.get("addressHash").s(),
                string(item, "email").map(EmailAddress::new),
                item.containsKey("correction") ? Optional.of(correction(item.get("correction").m())) : Optional.empty(),
                item.get("source").s(),
                Instant.parse(item.get("receivedAt").s()),
                Instant.parse(item.get("dueAt").s()),
                string(item, "exportKey"));
    }

    static AttributeValue auditItem(AuditEntry entry) {
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        map.put("at", s(time(entry.at())));
        map.put("event", s(entry.event()));
        map.put("stores", AttributeValue.fromL(entry.stores().stream().map(DynamoItems::s).toList()));
        map.put("detail", s(entry.detail()));
        return AttributeValue.fromM(map);
    }

    private static AuditEntry auditEntry(Map<String, AttributeValue> map) {
        return new AuditEntry(Instant.parse(map.get("at").s()), map.get("event").s(),
                map.get("stores").l().stream().map(AttributeValue::s).toList(), map.get("detail").s());
    }

    private static AttributeValue correctionItem(Correction correction) {
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        correction.name().ifPresent(name -> map.put("name", s(name)));
        correction.email().ifPresent(email -> map.put("email", s(email.value())));
        correction.shippingAddress().ifPresent(address -> {
            Map<String, AttributeValue> fields = new LinkedHashMap<>();
            address.fields().forEach((name, value) -> fields.put(name, s(value)));
            map.put("shippingAddress", AttributeValue.fromM(fields));
        });
        return AttributeValue.fromM(map);
    }

    private static Correction correction(Map<String, AttributeValue> map) {
        Optional<ShippingAddress> address = Optional.ofNullable(map.get("shippingAddress")).map(AttributeValue::m)
                .map(a -> new ShippingAddress(text(a, "line1"), text(a, "line2"), text(a, "postalCode"),
                        text(a, "city"), text(a, "state"), text(a, "country")));
        return new Correction(string(map, "name"), address, string(map, "email").map(EmailAddress::new));
    }
}
