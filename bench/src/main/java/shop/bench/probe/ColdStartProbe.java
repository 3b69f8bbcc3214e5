package shop.bench.probe;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A cold start as Lambda does it, in a fresh JVM whose classpath is the function's jar and
 * this probe only: construct the handler with its no-arg constructor (the init phase, reading
 * the environment the bench gave this process), parse the event, make the first invocation.
 *
 * <p>With {@code --primed} it first runs the handler's SnapStart priming, as Lambda does
 * before the snapshot, and reports when that ended: the first invocation after it stands in
 * for the first one after a restore (a restore's own cost, mapping the snapshot back in, is
 * not part of it).
 *
 * <p>It prints {@link System#nanoTime()} at each step. On Linux that is CLOCK_MONOTONIC, one
 * clock for every process of the machine, so the bench subtracts the instant it launched this
 * process: microsecond resolution, where the JVM's own start time has milliseconds (and marks
 * the end of VM initialisation, not its start) and /proc's has 10 ms ticks.
 *
 * <p>Arguments: the template's Handler ({@code pkg.Class::method}), the event file, and
 * optionally {@code --primed}.
 */
public final class ColdStartProbe {
    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        Invoker invoker = Invoker.constructed(args[0]);
        long constructed = System.nanoTime();
        if (args.length > 2 && args[2].equals("--primed")) {
            prime();
        }
        long restored = System.nanoTime();
        Object event = invoker.parse(Files.readString(Path.of(args[1])));
        long parsed = System.nanoTime();
        String outcome = invoker.invoke(event);
        long responded = System.nanoTime();
        ProbeOutput.print("constructed", Long.toString(constructed), "restored", Long.toString(restored),
                "parsed", Long.toString(parsed), "responded", Long.toString(responded),
                "peakRssKib", Long.toString(ProbeOutput.peakRssKib()),
                "waitUs", Long.toString(ProbeOutput.runQueueWaitMicros()), "outcome", outcome);
        // A handler may leave non-daemon threads behind (Lambda freezes the process instead).
        System.exit(0);
    }

    /** The shop's priming hook (shop.core.snapstart), if the function's jar has one. */
    private static void prime() throws ReflectiveOperationException {
        try {
            Class.forName("shop.core.snapstart.Priming").getMethod("runRegistered").invoke(null);
        } catch (ClassNotFoundException noPriming) {
            // The first call after "priming" is then simply the first call.
        }
    }
}
