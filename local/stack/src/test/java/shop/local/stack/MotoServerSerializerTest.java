package shop.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * local/moto_server.py writes DynamoDB's attribute values itself instead of through moto's
 * generic serializer (which took 140 of the 200 ms of a Query of 220 items): every answer must
 * still be byte for byte the one moto writes. Two servers, one with the direct writer and one
 * with moto's own (SHOP_MOTO_SERIALIZER=moto), get the same requests; each answer, status and
 * error type and body, must be the same from both. Raw HTTP, so that the bytes are compared,
 * not what an SDK makes of them.
 */
class MotoServerSerializerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String BYTES = Base64.getEncoder().encodeToString(new byte[] {0, (byte) 0xff, ' ', 'b'});

    private static Path workDir;
    private static EmulatorProcess direct;
    private static EmulatorProcess moto;

    @BeforeAll
    static void startBothServers() throws IOException {
        Path localDir = NodeModules.localDirectory();
        PythonModules.ensureInstalled(localDir);
        workDir = Files.createTempDirectory("moto-serializer");
        // One hash seed for both: moto's projections pass string and binary sets through Python
        // sets, whose order is the seed's, and would answer them in another order on each server.
        var starting = List.of(
                CompletableFuture.supplyAsync(() -> start(localDir, "moto-direct", Map.of("PYTHONHASHSEED", "0"))),
                CompletableFuture.supplyAsync(() -> start(localDir, "moto-generic",
                        Map.of("PYTHONHASHSEED", "0", "SHOP_MOTO_SERIALIZER", "moto"))));
        direct = starting.get(0).join();
        moto = starting.get(1).join();
        createTable("""
                {"TableName": "Things", "BillingMode": "PAY_PER_REQUEST",
                 "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                   {"AttributeName": "sk", "AttributeType": "N"}, {"AttributeName": "colour", "AttributeType": "S"}],
                 "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                 "GlobalSecondaryIndexes": [{"IndexName": "byColour",
                   "KeySchema": [{"AttributeName": "colour", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                   "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["size"]}}]}""");
        createTable("""
                {"TableName": "Others", "BillingMode": "PAY_PER_REQUEST",
                 "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                 "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}""");
    }

    /** On both servers; not compared, as each answers with its own time of creation. */
    private static void createTable(String body) {
        for (EmulatorProcess server : new EmulatorProcess[] {direct, moto}) {
            assertEquals(200, send(server, "CreateTable", body).statusCode(), body);
        }
    }

    private static EmulatorProcess start(Path localDir, String name, Map<String, String> environment) {
        int port = EmulatorProcess.freePort();
        return EmulatorProcess.start(name, workDir, workDir, port, PythonModules.motoServer(localDir, port), environment,
                "is Python 3 with moto installed (local/requirements.txt)?");
    }

    @AfterAll
    static void stopBothServers() throws IOException {
        for (EmulatorProcess server : new EmulatorProcess[] {direct, moto}) {
            if (server != null) {
                server.close();
            }
        }
        try (var files = Files.walk(workDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void oneServerWritesAttributeValuesDirectlyAndTheOtherThroughMoto() {
        assertTrue(direct.output().contains("DynamoDB answers written by _DynamoJSONSerializer"), direct.output());
        assertTrue(moto.output().contains("DynamoDB answers written by moto's serializer (SHOP_MOTO_SERIALIZER=moto)"),
                moto.output());
    }

    @Test
    void everyAttributeValueTypeComesOutAsMotoWritesIt() throws IOException {
        both("PutItem", """
                {"TableName": "Things", "Item": {"pk": {"S": "types"}, "sk": {"N": "1"},
                 "s": {"S": "h\\u00e9llo \\"quoted\\" \\u2603 \\n"}, "empty": {"S": ""}, "n": {"N": "-1.50E+3"},
                 "b": {"B": "%s"}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2.5"]}, "bs": {"BS": ["%s", "eA=="]},
                 "l": {"L": [{"S": "x"}, {"N": "2"}, {"NULL": true}, {"BOOL": false}, {"L": []}, {"M": {}}, {"B": "eQ=="}]},
                 "m": {"M": {"deep": {"M": {"list": {"L": [{"SS": ["z"]}, {"NS": ["7"]}]}}}, "yes": {"BOOL": true}}},
                 "nothing": {"NULL": true}, "yes": {"BOOL": true}}}""".formatted(BYTES, BYTES), false);

        JsonNode item = json(both("GetItem", """
                {"TableName": "Things", "Key": {"pk": {"S": "types"}, "sk": {"N": "1"}}}""", false)).get("Item");
        assertEquals(BYTES, item.get("b").get("B").asText());
        assertEquals("h\u00e9llo \"quoted\" \u2603 \n", item.get("s").get("S").asText());
        assertEquals("7", item.get("m").get("M").get("deep").get("M").get("list").get("L").get(1).get("NS").get(0).asText());
        assertTrue(item.get("l").get("L").get(2).get("NULL").asBoolean());

        both("GetItem", """
                {"TableName": "Things", "Key": {"pk": {"S": "types"}, "sk": {"N": "1"}},
                 "ProjectionExpression": "m.deep, l[6], #b, bs", "ExpressionAttributeNames": {"#b": "b"},
                 "ReturnConsumedCapacity": "TOTAL"}""", false);
        both("Scan", """
                {"TableName": "Things", "FilterExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "types"}},
                 "ReturnConsumedCapacity": "INDEXES"}""", false);
        assertEquals(JSON.readTree("{}"), json(both("GetItem", """
                {"TableName": "Things", "Key": {"pk": {"S": "types"}, "sk": {"N": "2"}}}""", false)));
    }

    @Test
    void queryPagesCarryTheirLastEvaluatedKeyCountsAndCapacity() throws IOException {
        for (int n = 1; n <= 5; n++) {
            both("PutItem", """
                    {"TableName": "Things", "Item": {"pk": {"S": "pages"}, "sk": {"N": "%d"},
                     "colour": {"S": "%s"}, "size": {"N": "%d"}, "label": {"S": "not in the index"}}}"""
                    .formatted(n, n % 2 == 0 ? "red" : "blue", n * 10), false);
        }
        List<String> seen = new ArrayList<>();
        String start = "";
        int pages = 0;
        do {
            JsonNode page = json(both("Query", """
                    {"TableName": "Things", "KeyConditionExpression": "pk = :p", "Limit": 2,
                     "ExpressionAttributeValues": {":p": {"S": "pages"}}, "ReturnConsumedCapacity": "TOTAL"%s}"""
                    .formatted(start), false));
            page.get("Items").forEach(i -> seen.add(i.get("sk").get("N").asText()));
            start = page.has("LastEvaluatedKey") ? ", \"ExclusiveStartKey\": " + page.get("LastEvaluatedKey") : "";
            pages++;
        } while (!start.isEmpty());
        assertEquals(List.of("1", "2", "3", "4", "5"), seen);
        assertEquals(3, pages);

        JsonNode blue = json(both("Query", """
                {"TableName": "Things", "IndexName": "byColour", "KeyConditionExpression": "colour = :c",
                 "ExpressionAttributeValues": {":c": {"S": "blue"}}, "ReturnConsumedCapacity": "INDEXES",
                 "ScanIndexForward": false, "Limit": 2}""", false));
        assertEquals("5", blue.get("Items").get(0).get("sk").get("N").asText());
        assertFalse(blue.get("Items").get(0).has("label"), "the index leaves out what it does not include");
        assertTrue(blue.has("LastEvaluatedKey"));
        both("Query", """
                {"TableName": "Things", "KeyConditionExpression": "pk = :p", "ProjectionExpression": "sk, #s",
                 "ExpressionAttributeNames": {"#s": "size"}, "ExpressionAttributeValues": {":p": {"S": "pages"}}}""", false);
        assertEquals(5, json(both("Query", """
                {"TableName": "Things", "KeyConditionExpression": "pk = :p", "Select": "COUNT",
                 "ExpressionAttributeValues": {":p": {"S": "pages"}}}""", false)).get("Count").asInt());
        assertEquals(0, json(both("Query", """
                {"TableName": "Things", "KeyConditionExpression": "pk = :p",
                 "ExpressionAttributeValues": {":p": {"S": "nobody"}}}""", false)).get("Items").size());
    }

    @Test
    void batchAndTransactionalReadsComeOutAsMotoWritesThem() throws IOException {
        both("PutItem", """
                {"TableName": "Others", "Item": {"pk": {"S": "batch#1"}, "l": {"L": [{"M": {"sku": {"S": "ring"}}}]}}}""", false);
        both("PutItem", """
                {"TableName": "Things", "Item": {"pk": {"S": "batch"}, "sk": {"N": "1"}, "bs": {"BS": ["%s"]}}}"""
                .formatted(BYTES), false);

        JsonNode batch = json(both("BatchGetItem", """
                {"RequestItems": {
                  "Others": {"Keys": [{"pk": {"S": "batch#1"}}, {"pk": {"S": "batch#gone"}}]},
                  "Things": {"Keys": [{"pk": {"S": "batch"}, "sk": {"N": "1"}}], "ProjectionExpression": "bs"}},
                 "ReturnConsumedCapacity": "TOTAL"}""", false));
        assertEquals(1, batch.get("Responses").get("Others").size());
        assertEquals(BYTES, batch.get("Responses").get("Things").get(0).get("bs").get("BS").get(0).asText());

        JsonNode transact = json(both("TransactGetItems", """
                {"TransactItems": [
                  {"Get": {"TableName": "Others", "Key": {"pk": {"S": "batch#1"}}}},
                  {"Get": {"TableName": "Others", "Key": {"pk": {"S": "batch#gone"}}}}],
                 "ReturnConsumedCapacity": "INDEXES"}""", false));
        assertEquals("ring", transact.get("Responses").get(0).get("Item").get("l").get("L").get(0)
                .get("M").get("sku").get("S").asText());
        assertEquals(JSON.readTree("{}"), transact.get("Responses").get(1));
    }

    @Test
    void writesAnswerTheirOldAndNewValuesAsMotoWritesThem() throws IOException {
        both("PutItem", """
                {"TableName": "Others", "Item": {"pk": {"S": "write"}, "v": {"N": "1"}, "b": {"B": "%s"}}}"""
                .formatted(BYTES), false);
        assertEquals(BYTES, json(both("PutItem", """
                {"TableName": "Others", "Item": {"pk": {"S": "write"}, "v": {"N": "2"}}, "ReturnValues": "ALL_OLD"}""",
                false)).get("Attributes").get("b").get("B").asText());
        both("UpdateItem", """
                {"TableName": "Others", "Key": {"pk": {"S": "write"}}, "UpdateExpression": "SET v = :v, m = :m",
                 "ExpressionAttributeValues": {":v": {"N": "3"}, ":m": {"M": {"k": {"SS": ["x"]}}}},
                 "ReturnValues": "ALL_NEW", "ReturnConsumedCapacity": "TOTAL"}""", false);
        assertEquals("3", json(both("DeleteItem", """
                {"TableName": "Others", "Key": {"pk": {"S": "write"}}, "ReturnValues": "ALL_OLD"}""",
                false)).get("Attributes").get("v").get("N").asText());
    }

    @Test
    void errorsComeOutAsMotoWritesThem() throws IOException {
        assertTrue(both("GetItem", """
                {"TableName": "Missing", "Key": {"pk": {"S": "x"}}}""", true).contains("ResourceNotFoundException"));
        assertTrue(both("Query", """
                {"TableName": "Missing", "KeyConditionExpression": "pk = :p",
                 "ExpressionAttributeValues": {":p": {"S": "x"}}}""", true).contains("ResourceNotFoundException"));
        assertTrue(both("Query", """
                {"TableName": "Things"}""", true).contains("ValidationException"));

        both("PutItem", """
                {"TableName": "Others", "Item": {"pk": {"S": "taken"}, "l": {"L": [{"B": "%s"}, {"NULL": true}]}}}"""
                .formatted(BYTES), false);
        JsonNode failed = json(both("PutItem", """
                {"TableName": "Others", "Item": {"pk": {"S": "taken"}}, "ConditionExpression": "attribute_not_exists(pk)",
                 "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}""", true));
        assertTrue(failed.get("__type").asText().endsWith("#ConditionalCheckFailedException"));
        assertEquals(BYTES, failed.get("Item").get("l").get("L").get(0).get("B").asText());

        JsonNode cancelled = json(both("TransactWriteItems", """
                {"TransactItems": [
                  {"Put": {"TableName": "Others", "Item": {"pk": {"S": "cancelled"}}}},
                  {"ConditionCheck": {"TableName": "Others", "Key": {"pk": {"S": "taken"}},
                    "ConditionExpression": "attribute_not_exists(pk)", "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}]}""",
                true));
        assertEquals("ConditionalCheckFailed", cancelled.get("CancellationReasons").get(1).get("Code").asText());
        assertEquals("taken", cancelled.get("CancellationReasons").get(1).get("Item").get("pk").get("S").asText());
    }

    /**
     * Sends the request to both servers, asserts that they answer alike, and returns the body;
     * {@code refused}: whether the answer must be an error.
     */
    private static String both(String operation, String body, boolean refused) {
        HttpResponse<String> fromDirect = send(direct, operation, body);
        HttpResponse<String> fromMoto = send(moto, operation, body);
        String request = operation + " " + body;
        assertEquals(fromMoto.statusCode(), fromDirect.statusCode(), request);
        assertEquals(fromMoto.headers().firstValue("x-amzn-errortype"), fromDirect.headers().firstValue("x-amzn-errortype"),
                request);
        assertEquals(fromMoto.body(), fromDirect.body(), request);
        assertEquals(refused, fromDirect.statusCode() != 200, request + " answered " + fromDirect.body());
        return fromDirect.body();
    }

    private static HttpResponse<String> send(EmulatorProcess server, String operation, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .header("X-Amz-Target", "DynamoDB_20120810." + operation)
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/" + IntrinsicResolver.LOCAL_REGION
                        + "/dynamodb/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(server + " did not answer " + operation + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String body) throws IOException {
        return JSON.readTree(body);
    }
}
