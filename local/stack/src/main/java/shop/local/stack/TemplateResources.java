package shop.local.stack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates a template's user pools (see {@link CognitoResources}), tables, buckets and queues on the local services, with the properties
 * that change behaviour (keys, indexes, TTL settings, redrive). What only matters on AWS
 * (encryption, point-in-time recovery, deletion protection) is left out. The stand-in records
 * TTL settings but does not delete expired items, so the code filters them on read, as it must
 * on AWS too (TTL deletes within days, not at the second). Creating what already exists
 * is not an error, so the same template can be applied twice to a shared endpoint.
 */
final class TemplateResources {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final IntrinsicResolver resolver;
    private final DynamoDbClient dynamo;
    private final S3Client s3;
    private final SqsClient sqs;
    private final CognitoResources cognito;

    TemplateResources(IntrinsicResolver resolver, DynamoDbClient dynamo, S3Client s3, SqsClient sqs,
                      CognitoIdentityProviderClient cognito, BiConsumer<String, String> recordCognitoId) {
        this.resolver = resolver;
        this.dynamo = dynamo;
        this.s3 = s3;
        this.sqs = sqs;
        this.cognito = new CognitoResources(resolver, cognito, recordCognitoId);
    }

    void createAll() {
        CfnTemplate template = resolver.template();
        // First: the service chooses user pool and client ids, and anything may name them.
        cognito.createAll();
        List<String> tables = new ArrayList<>();
        for (CfnTemplate.Resource table : template.resourcesOfType(CfnTemplate.TABLE)) {
            tables.add(createTable(table));
        }
        for (CfnTemplate.Resource table : template.resourcesOfType(CfnTemplate.SIMPLE_TABLE)) {
            tables.add(createSimpleTable(table));
        }
        try (var waiter = AwsClients.fastWaiter(dynamo)) {
            tables.forEach(name -> waiter.waitUntilTableExists(b -> b.tableName(name)));
        }
        template.resourcesOfType(CfnTemplate.BUCKET).forEach(this::createBucket);
        createQueues(template.resourcesOfType(CfnTemplate.QUEUE));
    }

    private String createTable(CfnTemplate.Resource resource) {
        Map<String, Object> props = asMap(resolver.resolve(resource.properties()));
        String name = resolver.physicalName(resource.logicalId());
        List<AttributeDefinition> attributes = new ArrayList<>();
        for (Object definition : list(props.get("AttributeDefinitions"))) {
            Map<String, Object> d = asMap(definition);
            attributes.add(AttributeDefinition.builder().attributeName(str(d.get("AttributeName")))
                    .attributeType(str(d.get("AttributeType"))).build());
        }
        List<GlobalSecondaryIndex> gsis = new ArrayList<>();
        for (Object index : list(props.get("GlobalSecondaryIndexes"))) {
            Map<String, Object> i = asMap(index);
            gsis.add(GlobalSecondaryIndex.builder().indexName(str(i.get("IndexName")))
                    .keySchema(keySchema(i.get("KeySchema"))).projection(projection(i.get("Projection"))).build());
        }
        List<LocalSecondaryIndex> lsis = new ArrayList<>();
        for (Object index : list(props.get("LocalSecondaryIndexes"))) {
            Map<String, Object> i = asMap(index);
            lsis.add(LocalSecondaryIndex.builder().indexName(str(i.get("IndexName")))
                    .keySchema(keySchema(i.get("KeySchema"))).projection(projection(i.get("Projection"))).build());
        }
        // Always on-demand locally: provisioned capacity means nothing to an emulator.
        CreateTableRequest.Builder request = CreateTableRequest.builder().tableName(name)
                .attributeDefinitions(attributes).keySchema(keySchema(props.get("KeySchema")))
                .billingMode(BillingMode.PAY_PER_REQUEST);
        if (!gsis.isEmpty()) {
            request.globalSecondaryIndexes(gsis);
        }
        if (!lsis.isEmpty()) {
            request.localSecondaryIndexes(lsis);
        }
        createTable(request.build());
        enableTimeToLive(name, props.get("TimeToLiveSpecification"));
        return name;
    }

    private void enableTimeToLive(String table, Object specification) {
        Map<String, Object> spec = asMap(specification == null ? Map.of() : specification);
        boolean alreadyOn = dynamo.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription()
                .timeToLiveStatusAsString().startsWith("ENABL"); // a table an earlier run made: AWS refuses a second enable
        if (Boolean.parseBoolean(String.valueOf(spec.get("Enabled"))) && !alreadyOn) {
            dynamo.updateTimeToLive(b -> b.tableName(table).timeToLiveSpecification(t -> t
                    .attributeName(str(spec.get("AttributeName"))).enabled(true)));
        }
    }

    /** SAM's SimpleTable: one hash key, "id" of type String unless PrimaryKey says otherwise. */
    private String createSimpleTable(CfnTemplate.Resource resource) {
        Map<String, Object> props = asMap(resolver.resolve(resource.properties()));
        Map<String, Object> key = asMap(props.getOrDefault("PrimaryKey", Map.of("Name", "id", "Type", "String")));
        String keyName = str(key.getOrDefault("Name", "id"));
        String type = switch (str(key.getOrDefault("Type", "String"))) {
            case "Number" -> "N";
            case "Binary" -> "B";
            default -> "S";
        };
        String name = resolver.physicalName(resource.logicalId());
        createTable(CreateTableRequest.builder().tableName(name)
                .attributeDefinitions(AttributeDefinition.builder().attributeName(keyName).attributeType(type).build())
                .keySchema(KeySchemaElement.builder().attributeName(keyName).keyType("HASH").build())
                .billingMode(BillingMode.PAY_PER_REQUEST).build());
        return name;
    }

    /**
     * An existing table is reused (an earlier run against the same endpoint made it) only when
     * it has the same keys and indexes; otherwise two templates claim one name, and tests would
     * fail far from the cause.
     */
    private void createTable(CreateTableRequest request) {
        try {
            dynamo.createTable(request);
        } catch (ResourceInUseException alreadyThere) {
            TableDescription existing = dynamo.describeTable(b -> b.tableName(request.tableName())).table();
            String wanted = shape(request.keySchema(), request.globalSecondaryIndexes().stream()
                    .map(GlobalSecondaryIndex::indexName).toList());
            String found = shape(existing.keySchema(), existing.globalSecondaryIndexes().stream()
                    .map(GlobalSecondaryIndexDescription::indexName).toList());
            if (!wanted.equals(found)) {
                throw new IllegalStateException("Table " + request.tableName() + " already exists as " + found
                        + ", but " + resolver.template().file() + " wants " + wanted
                        + ": another template defines a table of the same name");
            }
        }
    }

    private static String shape(List<KeySchemaElement> keys, List<String> indexes) {
        return "keys " + keys.stream().map(k -> k.attributeName() + " " + k.keyTypeAsString()).toList()
                + ", indexes " + indexes.stream().sorted().toList();
    }

    private void createBucket(CfnTemplate.Resource resource) {
        String name = resolver.physicalName(resource.logicalId());
        try {
            s3.createBucket(b -> b.bucket(name));
        } catch (S3Exception e) {
            if (e.statusCode() != 409) { // BucketAlreadyOwnedByYou / BucketAlreadyExists
                throw e;
            }
        }
        corsRules(resource).ifPresent(rules -> s3.putBucketCors(b -> b.bucket(name)
                .corsConfiguration(c -> c.corsRules(rules))));
    }

    /** A bucket's CorsConfiguration (a browser PUTs photos to the images bucket with presigned URLs). */
    private java.util.Optional<List<software.amazon.awssdk.services.s3.model.CORSRule>> corsRules(
            CfnTemplate.Resource resource) {
        Object cors = resource.properties().get("CorsConfiguration");
        if (cors == null) {
            return java.util.Optional.empty();
        }
        List<software.amazon.awssdk.services.s3.model.CORSRule> rules = new ArrayList<>();
        for (Object rule : list(asMap(resolver.resolve(cors)).get("CorsRules"))) {
            Map<String, Object> r = asMap(rule);
            var builder = software.amazon.awssdk.services.s3.model.CORSRule.builder()
                    .allowedOrigins(list(r.get("AllowedOrigins")).stream().map(String::valueOf).toList())
                    .allowedMethods(list(r.get("AllowedMethods")).stream().map(String::valueOf).toList())
                    .allowedHeaders(list(r.get("AllowedHeaders")).stream().map(String::valueOf).toList());
            if (r.get("MaxAge") != null) {
                builder.maxAgeSeconds(Integer.parseInt(String.valueOf(r.get("MaxAge"))));
            }
            rules.add(builder.build());
        }
        return java.util.Optional.of(rules);
    }

    /** Dead-letter queues first, because a redrive policy names its target by ARN. */
    private void createQueues(List<CfnTemplate.Resource> queues) {
        List<CfnTemplate.Resource> pending = new ArrayList<>(queues);
        Map<String, String> created = new HashMap<>(); // logical id -> queue ARN
        while (!pending.isEmpty()) {
            CfnTemplate.Resource next = pending.stream()
                    .filter(q -> redriveTarget(q) == null || created.containsKey(redriveTarget(q)))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("Queues whose dead-letter queues are not in "
                            + resolver.template().file() + " or form a cycle: " + pending.stream()
                            .map(CfnTemplate.Resource::logicalId).toList()));
            pending.remove(next);
            created.put(next.logicalId(), createQueue(next));
        }
    }

    /** The logical id of the queue's dead-letter queue, or null. */
    private static String redriveTarget(CfnTemplate.Resource queue) {
        Object policy = queue.properties().get("RedrivePolicy");
        if (!(policy instanceof Map<?, ?> map) || !(map.get("deadLetterTargetArn") instanceof Map<?, ?> arn)) {
            return null; // no policy, or a literal ARN
        }
        Object getAtt = arn.get("Fn::GetAtt");
        return getAtt instanceof List<?> parts && !parts.isEmpty() ? String.valueOf(parts.get(0)) : null;
    }

    private String createQueue(CfnTemplate.Resource resource) {
        Map<String, Object> props = resource.properties();
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String attribute : List.of("DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod",
                "ReceiveMessageWaitTimeSeconds", "VisibilityTimeout", "FifoQueue", "ContentBasedDeduplication")) {
            if (props.containsKey(attribute)) {
                attributes.put(attribute, resolver.resolveString(props.get(attribute)));
            }
        }
        if (props.containsKey("RedrivePolicy")) {
            // Resolved through LocalAws, so the ARN is the one the queue service reports.
            Object policy = resolver.resolve(props.get("RedrivePolicy"));
            try {
                attributes.put("RedrivePolicy", policy instanceof String text ? text : JSON.writeValueAsString(policy));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("RedrivePolicy of " + resource.logicalId(), e);
            }
        }
        String name = resolver.physicalName(resource.logicalId());
        String url = sqs.createQueue(b -> b.queueName(name).attributesWithStrings(attributes)).queueUrl();
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private static List<KeySchemaElement> keySchema(Object value) {
        List<KeySchemaElement> keys = new ArrayList<>();
        for (Object element : list(value)) {
            Map<String, Object> k = asMap(element);
            keys.add(KeySchemaElement.builder().attributeName(str(k.get("AttributeName")))
                    .keyType(str(k.get("KeyType"))).build());
        }
        return keys;
    }

    private static Projection projection(Object value) {
        Map<String, Object> p = asMap(value);
        Projection.Builder projection = Projection.builder().projectionType(str(p.getOrDefault("ProjectionType", "ALL")));
        if (p.containsKey("NonKeyAttributes")) {
            projection.nonKeyAttributes(list(p.get("NonKeyAttributes")).stream().map(String::valueOf).toList());
        }
        return projection.build();
    }

    private static List<?> list(Object value) {
        return value == null ? List.of() : (List<?>) value;
    }

    private static Map<String, Object> asMap(Object value) {
        return CfnTemplate.map(value);
    }

    private static String str(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
