package shop.core.dynamo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import shop.core.http.ApiResponses;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * How a cancelled transaction reaches a caller: a failed condition is the domain's answer (read
 * by the store), a conflict with another transaction or throttling is temporary (503, try again).
 * The exceptions are built as the SDK unmarshals DynamoDB's answer; moto never reports conflicts.
 */
class DynamoTransactionsTest {

    @Test
    void theOperationsWhoseConditionFailedAreNamedByTheirIndex() {
        var cancelled = cancelled("None", "ConditionalCheckFailed", "None", "ConditionalCheckFailed");

        assertEquals(List.of(1, 3), DynamoTransactions.conditionFailures(cancelled));
    }

    @Test
    void aTransactionCancelledByAConflictOrThrottlingIsA503WithRetryAfter() {
        for (var cancelled : List.of(cancelled("TransactionConflict", "None"), cancelled("None", "ThrottlingError"))) {
            assertEquals(List.of(), DynamoTransactions.conditionFailures(cancelled));
            var response = ApiResponses.error(cancelled);
            assertEquals(503, response.getStatusCode(), response.getBody());
            assertEquals("5", response.getHeaders().get("retry-after"));
        }
    }

    @Test
    void aConditionFailureThatNoStoreReadIsNotPassedOffAsAnOutage() {
        assertEquals(500, ApiResponses.error(cancelled("ConditionalCheckFailed")).getStatusCode());
    }

    private static TransactionCanceledException cancelled(String... codes) {
        return (TransactionCanceledException) TransactionCanceledException.builder()
                .message("Transaction cancelled")
                .cancellationReasons(java.util.Arrays.stream(codes)
                        .map(code -> CancellationReason.builder().code(code).build()).toList())
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("TransactionCanceledException").build())
                .statusCode(400)
                .build();
    }
}
