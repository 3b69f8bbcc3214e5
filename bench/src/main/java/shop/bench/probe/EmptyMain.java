package shop.bench.probe;

/**
 * The bare-JVM floor: a main that does nothing, started with the same flags as the functions'
 * probes. It reports the same clock as {@link ColdStartProbe}, so the bench can divide one by
 * the other.
 */
public final class EmptyMain {
    private EmptyMain() {
    }

    public static void main(String[] args) {
        long responded = System.nanoTime();
        // Everything below runs after the measured instant.
        ProbeOutput.print("responded", Long.toString(responded), "peakRssKib", Long.toString(ProbeOutput.peakRssKib()),
                "waitUs", Long.toString(ProbeOutput.runQueueWaitMicros()), "outcome", "empty");
    }
}
