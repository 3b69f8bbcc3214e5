package shop.local.stack;

import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A DynamoDB client on the local stack that a test stops before its n-th call, as a function
 * stopped there (a crash, a timeout) never sends it: for the proofs that a stop anywhere leaves
 * all or nothing written. Unarmed, it is an ordinary client.
 */
public final class StoppingDynamo {
    private final AtomicInteger callsUntilStop = new AtomicInteger(Integer.MAX_VALUE);
    private final DynamoDbClient client;

    public StoppingDynamo(LocalAws aws) {
        this.client = aws.dynamo(operation -> {
            // From the stop on, no call goes out: a stopped function sends nothing more, not even what a catch block
            // would write after the failed call (a compensation that a crash never runs).
            if (callsUntilStop.decrementAndGet() <= 0) {
                throw new IllegalStateException("stopped before " + operation);
            }
        });
    }

    public DynamoDbClient client() {
        return client;
    }

    /**
     * Runs {@code run} with the client stopped before its {@code call}-th call from now (1: the
     * first), then disarms it. What the run throws is dropped: a stopped function answers nobody,
     * and what it left written is what the test looks at.
     */
    public void stoppedBefore(int call, Runnable run) {
        callsUntilStop.set(call);
        try {
            run.run();
        } catch (RuntimeException stopped) {
            // as a function stopped there
        } finally {
            callsUntilStop.set(Integer.MAX_VALUE);
        }
    }
}
