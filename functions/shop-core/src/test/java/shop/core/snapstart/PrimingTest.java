package shop.core.snapstart;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;

@ExtendWith(LocalAwsExtension.class)
class PrimingTest {

    @Test
    void dynamoPrimingReadsAndTriesToWriteButLeavesTheTableAsItWas(LocalAws aws) {
        String table = aws.physicalName("SubscribersTable");
        int before = aws.dynamo().scan(b -> b.tableName(table)).count();

        Priming.dynamo(aws.dynamo(), table, "pk", "PRIMING#never-written", Priming.DynamoCall.values());

        assertEquals(before, aws.dynamo().scan(b -> b.tableName(table)).count());
    }

    @Test
    void registeredCallsRunBeforeTheSnapshotAndAFailureDoesNotStopIt() {
        AtomicInteger primed = new AtomicInteger();
        Priming.beforeSnapshot("failing", () -> {
            throw new IllegalStateException("the table is not there");
        });
        Priming.beforeSnapshot("counting", primed::incrementAndGet);

        assertDoesNotThrow(Priming::runRegistered);
        assertEquals(1, primed.get());
    }

    @Test
    void primingRequestsLookLikeApiGatewaysOwn() {
        var event = Priming.httpRequest("GET", "/newsletter/unsubscribe", Map.of("token", "t"), null);

        assertEquals("GET", event.getRequestContext().getHttp().getMethod());
        assertEquals("/newsletter/unsubscribe", event.getRawPath());
        assertEquals("token=t", event.getRawQueryString());
        assertEquals("t", event.getQueryStringParameters().get("token"));
        assertEquals("GET /newsletter/unsubscribe", event.getRouteKey());
    }

    @Test
    void aPrimingRequestOnARouteWithParametersCarriesTheTemplatesRouteKeyAndFillsThePath() {
        var event = Priming.routeRequest("GET /products/{sku}", Map.of("sku", "RING-X"), Map.of(), null);

        assertEquals("GET /products/{sku}", event.getRouteKey());
        assertEquals("/products/RING-X", event.getRawPath());
        assertEquals(Map.of("sku", "RING-X"), event.getPathParameters());
        assertEquals("GET", event.getRequestContext().getHttp().getMethod());
    }
}
