package shop.bench.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** The write units the bench counts by DynamoDB's rule, whatever the stand-in reports. */
class AwsCallCounterTest {
    private static final Map<String, AttributeValue> ITEM = Map.of("pk", AttributeValue.fromS("a"));

    @Test
    void aTransactionCostsTwoUnitsAnItem() {
        TransactWriteItem put = TransactWriteItem.builder().put(p -> p.tableName("t").item(ITEM)).build();
        TransactWriteItem check = TransactWriteItem.builder().conditionCheck(c -> c.tableName("t").key(ITEM)
                .conditionExpression("attribute_exists(pk)")).build();
        var request = TransactWriteItemsRequest.builder().transactItems(put, put, check).build();
        assertEquals(6.0, AwsCallCounter.writeUnits("TransactWriteItems", request));
    }

    /** 1,024 bytes of names and values: "pk" and "a" (3), "d" and 1,020 characters. */
    private static final Map<String, AttributeValue> ONE_KILOBYTE = Map.of("pk", AttributeValue.fromS("a"),
            "d", AttributeValue.fromS("x".repeat(1020)));
    private static final Map<String, AttributeValue> OVER = Map.of("pk", AttributeValue.fromS("a"),
            "d", AttributeValue.fromS("x".repeat(1021)));

    @Test
    void aPutOverOneKilobyteCostsTwoUnitsAStartedKilobyteInATransactionAndOneInABatch() {
        TransactWriteItem fits = TransactWriteItem.builder().put(p -> p.tableName("t").item(ONE_KILOBYTE)).build();
        TransactWriteItem over = TransactWriteItem.builder().put(p -> p.tableName("t").item(OVER)).build();
        TransactWriteItem update = TransactWriteItem.builder().update(u -> u.tableName("t").key(ITEM)
                .updateExpression("SET d = :d")).build();
        assertEquals(2.0 + 4.0 + 2.0, AwsCallCounter.writeUnits("TransactWriteItems",
                TransactWriteItemsRequest.builder().transactItems(fits, over, update).build()));
        WriteRequest put = WriteRequest.builder().putRequest(PutRequest.builder().item(OVER).build()).build();
        WriteRequest delete = WriteRequest.builder().deleteRequest(d -> d.key(ITEM)).build();
        assertEquals(3.0, AwsCallCounter.writeUnits("BatchWriteItem",
                BatchWriteItemRequest.builder().requestItems(Map.of("a", List.of(put, delete))).build()));
    }

    @Test
    void aBatchWriteCostsOneUnitAWriteAndAnUpdateOne() {
        WriteRequest write = WriteRequest.builder().putRequest(PutRequest.builder().item(ITEM).build()).build();
        var batch = BatchWriteItemRequest.builder().requestItems(Map.of("a", List.of(write, write), "b", List.of(write)))
                .build();
        assertEquals(3.0, AwsCallCounter.writeUnits("BatchWriteItem", batch));
        assertEquals(1.0, AwsCallCounter.writeUnits("UpdateItem",
                UpdateItemRequest.builder().tableName("t").key(ITEM).build()));
    }

    /** moto reports every PutItem as one unit whatever its size; DynamoDB bills a started kilobyte one. */
    @Test
    void aPutCostsOneUnitAStartedKilobyte() {
        assertEquals(1.0, AwsCallCounter.writeUnits("PutItem", PutItemRequest.builder().tableName("t").item(ONE_KILOBYTE).build()));
        assertEquals(2.0, AwsCallCounter.writeUnits("PutItem", PutItemRequest.builder().tableName("t").item(OVER).build()));
    }
}
