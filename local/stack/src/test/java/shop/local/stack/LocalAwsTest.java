package shop.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The run's shared stack, with the fixture template's resources created in it as well. */
@ExtendWith(LocalAwsExtension.class)
class LocalAwsTest {

    private static final CfnTemplate FIXTURE = Fixtures.fixtureTemplate();

    private final LocalAws aws;

    LocalAwsTest(LocalAws aws) {
        this.aws = aws;
    }

    @BeforeAll
    static void createFixtureResources(LocalAws aws) {
        aws.createResources(FIXTURE);
    }

    @Test
    void createsEveryTableOfTheRepositoryTemplate() {
        List<String> expected = aws.template().resourcesOfType(CfnTemplate.TABLE).stream()
                .map(t -> aws.physicalName(t.logicalId())).sorted().toList();
        assertFalse(expected.isEmpty());
        assertTrue(aws.dynamo().listTables().tableNames().containsAll(expected),
                "tables: " + aws.dynamo().listTables().tableNames());
    }

    /**
     * local/moto_server.py replaces moto's copy of every table a transaction touches with an undo
     * log of the items it names: a cancelled transaction must still leave all of them as before,
     * and the other items of the table as they are.
     */
    @Test
    void aCancelledTransactionPutsBackTheItemsItWroteAndNothingElse() {
        String table = "FixtureOrdersTable";
        aws.dynamo().putItem(b -> b.tableName(table).item(Map.of("pk", s("tx#kept"), "v", s("1"))));
        aws.dynamo().putItem(b -> b.tableName(table).item(Map.of("pk", s("tx#updated"), "v", s("1"))));
        aws.dynamo().putItem(b -> b.tableName(table).item(Map.of("pk", s("tx#deleted"), "v", s("1"))));
        aws.dynamo().putItem(b -> b.tableName(table).item(Map.of("pk", s("tx#bystander"), "v", s("1"))));
        var cancelled = assertThrows(TransactionCanceledException.class,
                () -> aws.dynamo().transactWriteItems(b -> b.transactItems(
                        t -> t.update(u -> u.tableName(table).key(Map.of("pk", s("tx#updated")))
                                .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", s("2")))),
                        t -> t.put(p -> p.tableName(table).item(Map.of("pk", s("tx#new"), "v", s("2")))),
                        t -> t.delete(d -> d.tableName(table).key(Map.of("pk", s("tx#deleted")))),
                        t -> t.put(p -> p.tableName(table).item(Map.of("pk", s("tx#kept"), "v", s("2")))
                                .conditionExpression("attribute_not_exists(pk)")))));
        assertEquals("ConditionalCheckFailed", cancelled.cancellationReasons().get(3).code());
        assertEquals(s("1"), item(table, "tx#updated").get("v"));
        assertEquals(s("1"), item(table, "tx#deleted").get("v"));
        assertEquals(s("1"), item(table, "tx#kept").get("v"));
        assertTrue(item(table, "tx#new").isEmpty(), "the new item is gone again");

        aws.dynamo().transactWriteItems(b -> b.transactItems(
                t -> t.update(u -> u.tableName(table).key(Map.of("pk", s("tx#updated")))
                        .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", s("3")))),
                t -> t.put(p -> p.tableName(table).item(Map.of("pk", s("tx#new"), "v", s("3"))))));
        assertEquals(s("3"), item(table, "tx#updated").get("v"));
        assertEquals(s("3"), item(table, "tx#new").get("v"));
        assertEquals(s("1"), item(table, "tx#bystander").get("v"));
    }

    /**
     * local/moto_server.py answers a Query from the one partition asked for, kept per index as
     * items are put, updated, deleted and written in transactions: an item that gains, changes
     * or loses an index key moves in or out of its partitions, and pages forward and backward
     * see each item once.
     */
    @Test
    void aQueryOnAnIndexSeesItemsMoveInAndOutOfItsPartitions() {
        String table = "FixtureOrdersTable";
        for (int n = 1; n <= 3; n++) {
            String number = String.valueOf(n);
            aws.dynamo().putItem(b -> b.tableName(table).item(Map.of(
                    "pk", s("move#" + number), "customer", s("move-a"), "createdAt", AttributeValue.fromN(number))));
        }
        aws.dynamo().updateItem(b -> b.tableName(table).key(Map.of("pk", s("move#2")))
                .updateExpression("SET customer = :b").expressionAttributeValues(Map.of(":b", s("move-b"))));
        aws.dynamo().updateItem(b -> b.tableName(table).key(Map.of("pk", s("move#4")))
                .updateExpression("SET customer = :a, createdAt = :t")
                .expressionAttributeValues(Map.of(":a", s("move-a"), ":t", AttributeValue.fromN("4"))));
        aws.dynamo().deleteItem(b -> b.tableName(table).key(Map.of("pk", s("move#1"))));
        assertThrows(TransactionCanceledException.class, () -> aws.dynamo().transactWriteItems(b -> b.transactItems(
                t -> t.put(p -> p.tableName(table).item(Map.of(
                        "pk", s("move#5"), "customer", s("move-a"), "createdAt", AttributeValue.fromN("5")))),
                t -> t.conditionCheck(c -> c.tableName(table).key(Map.of("pk", s("move#3")))
                        .conditionExpression("attribute_not_exists(pk)")))));
        aws.dynamo().transactWriteItems(b -> b.transactItems(
                t -> t.update(u -> u.tableName(table).key(Map.of("pk", s("move#3"))).updateExpression("REMOVE createdAt")),
                t -> t.put(p -> p.tableName(table).item(Map.of(
                        "pk", s("move#6"), "customer", s("move-a"), "createdAt", AttributeValue.fromN("6"))))));
        assertThrows(ConditionalCheckFailedException.class, () -> aws.dynamo().updateItem(b -> b.tableName(table)
                .key(Map.of("pk", s("move#6"))).updateExpression("SET customer = :b")
                .conditionExpression("attribute_not_exists(pk)").expressionAttributeValues(Map.of(":b", s("move-b")))));

        assertEquals(List.of("move#4", "move#6"), customerOrdersPageByPage(table, "move-a", true));
        assertEquals(List.of("move#6", "move#4"), customerOrdersPageByPage(table, "move-a", false));
        assertEquals(List.of("move#2"), customerOrdersPageByPage(table, "move-b", true));
        assertEquals(List.of(), customerOrdersPageByPage(table, "move-none", true));
    }

    private List<String> customerOrdersPageByPage(String table, String customer, boolean oldestFirst) {
        List<String> seen = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = aws.dynamo().query(b -> b.tableName(table).indexName("byCustomer").limit(1)
                    .keyConditionExpression("customer = :c").expressionAttributeValues(Map.of(":c", s(customer)))
                    .scanIndexForward(oldestFirst).exclusiveStartKey(from));
            page.items().forEach(i -> seen.add(i.get("pk").s()));
            start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return seen;
    }

    private Map<String, AttributeValue> item(String table, String pk) {
        return aws.dynamo().getItem(b -> b.tableName(table).key(Map.of("pk", s(pk))).consistentRead(true)).item();
    }

    @Test
    void createsTablesWithTheirKeysAndIndexes() {
        TableDescription orders = aws.dynamo().describeTable(b -> b.tableName("FixtureOrdersTable")).table();
        assertEquals("pk", orders.keySchema().get(0).attributeName());
        assertEquals("byCustomer", orders.globalSecondaryIndexes().get(0).indexName());
        assertEquals(IndexStatus.ACTIVE, orders.globalSecondaryIndexes().get(0).indexStatus());

        aws.dynamo().putItem(b -> b.tableName("FixtureOrdersTable").item(Map.of(
                "pk", s("order#1"), "customer", s("c-17"), "createdAt", AttributeValue.fromN("1700000000"))));
        assertEquals(s("c-17"), aws.dynamo().getItem(b -> b.tableName("FixtureOrdersTable")
                .key(Map.of("pk", s("order#1")))).item().get("customer"));
        List<Map<String, AttributeValue>> byCustomer = aws.dynamo().query(b -> b.tableName("FixtureOrdersTable")
                .indexName("byCustomer").keyConditionExpression("customer = :c")
                .expressionAttributeValues(Map.of(":c", s("c-17")))).items();
        assertEquals(List.of(s("order#1")), byCustomer.stream().map(i -> i.get("pk")).toList());

        TableDescription settings = aws.dynamo().describeTable(b -> b.tableName("FixtureSettingsTable")).table();
        assertEquals("key", settings.keySchema().get(0).attributeName(), "SimpleTable's PrimaryKey");
    }

    @Test
    void refusesATableOfTheSameNameWithOtherKeys() {
        CfnTemplate clash = CfnTemplate.load(Fixtures.resource("clashing-table.yaml"));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> aws.createResources(clash));
        assertTrue(e.getMessage().contains("FixtureOrdersTable already exists"), e.getMessage());
    }

    @Test
    void createsBucketsThatStoreObjects() {
        aws.s3().putObject(b -> b.bucket("fixturereceiptsbucket").key("r/1.txt").contentType("text/plain"),
                RequestBody.fromString("a ring, 52"));
        assertEquals("a ring, 52", aws.s3().getObjectAsBytes(b -> b.bucket("fixturereceiptsbucket").key("r/1.txt")).asUtf8String());
    }

    @Test
    void aMessageReceivedMaxReceiveCountTimesMovesToTheDeadLetterQueue() {
        String queue = aws.queueUrl(FIXTURE, "FixtureJobsQueue");
        String dlq = aws.queueUrl(FIXTURE, "FixtureJobsDeadLetterQueue");
        String redrive = aws.sqs().getQueueAttributes(b -> b.queueUrl(queue)
                .attributeNames(QueueAttributeName.REDRIVE_POLICY)).attributes().get(QueueAttributeName.REDRIVE_POLICY);
        assertTrue(redrive.contains("arn:aws:sqs:us-east-1:000000000000:FixtureJobsDeadLetterQueue"), redrive);

        aws.sqs().sendMessage(b -> b.queueUrl(queue).messageBody("poison"));
        for (int attempt = 1; attempt <= 2; attempt++) { // maxReceiveCount: 2
            List<Message> received = aws.sqs().receiveMessage(b -> b.queueUrl(queue)
                    .visibilityTimeout(0).waitTimeSeconds(1)).messages();
            assertEquals(List.of("poison"), received.stream().map(Message::body).toList(), "attempt " + attempt);
        }
        assertTrue(aws.sqs().receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1)).messages().isEmpty());
        List<Message> dead = aws.sqs().receiveMessage(b -> b.queueUrl(dlq).waitTimeSeconds(1)).messages();
        assertEquals(List.of("poison"), dead.stream().map(Message::body).toList());
    }

    @Test
    void functionEnvironmentPointsTheFunctionAtTheLocalServices() {
        Map<String, String> env = aws.functionEnvironment(FIXTURE, "FixtureWorkerFunction", Map.of("Stage", "prod"));
        assertEquals("FixtureOrdersTable", env.get("TABLE"));
        assertEquals("live-mode", env.get("MODE"), "overrides apply");
        assertEquals("global", env.get("FROM_GLOBALS"));
        assertFalse(env.containsKey("JAVA_TOOL_OPTIONS"), "tunes Lambda's JVM, not the local one");
        assertEquals(aws.queueUrl(FIXTURE, "FixtureJobsQueue"), env.get("QUEUE_URL"), "the URL the queue service reports");
        assertEquals("us-east-1", env.get("AWS_REGION"));
        assertEquals(aws.endpoint(Service.DYNAMODB).toString(), env.get("AWS_ENDPOINT_URL_DYNAMODB"));
        assertEquals(aws.endpoint(Service.S3).toString(), env.get("AWS_ENDPOINT_URL_S3"));
        assertEquals(aws.endpoint(Service.SQS).toString(), env.get("AWS_ENDPOINT_URL_SQS"));
        assertEquals(aws.endpoint(Service.SESV2).toString(), env.get("AWS_ENDPOINT_URL_SESV2"));
        assertEquals(env.get("AWS_ENDPOINT_URL_SESV2"), env.get("AWS_ENDPOINT_URL_SES"));
        assertTrue(env.containsKey("AWS_ACCESS_KEY_ID") && env.containsKey("AWS_SECRET_ACCESS_KEY"));
    }

    @Test
    void everyFunctionOfTheRepositoryTemplateGetsAResolvedEnvironment() {
        for (String function : aws.template().functions().keySet()) {
            Map<String, String> env = aws.functionEnvironment(function, Map.of());
            env.forEach((name, value) -> assertFalse(value.contains("{") && value.contains("Ref"),
                    function + " " + name + " is unresolved: " + value));
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
