package shop.campaigns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PacerTest {
    /** A clock that only moves when the pacer sleeps: the pace is the pacer's, not the machine's. */
    static final class FakeTime implements Pacer.Sleeper {
        long now;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            now += nanos;
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {1, 7, 14, 50, 200})
    void keepsToItsRate(double rate) {
        var time = new FakeTime();
        var pacer = new Pacer(rate, time);
        int mails = (int) (rate * 10) + 1;
        for (int i = 0; i < mails; i++) {
            pacer.acquire();
        }
        // n mails at r a second take (n - 1) / r seconds: the first goes at once.
        assertEquals(10.0, time.now / 1e9, 0.01);
    }
}
