package shop.bench.probe;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The one line a probe prints for the bench: {@code BENCH-PROBE key=value ...}. Functions log
 * to stdout too, so the bench reads only lines with this prefix.
 */
public final class ProbeOutput {
    public static final String PREFIX = "BENCH-PROBE ";

    private ProbeOutput() {
    }

    /**
     * Peak resident set size of this process in KiB (VmHWM), read just before the probe exits.
     * Linux only, as Lambda; -1 elsewhere.
     */
    public static long peakRssKib() {
        try (FileInputStream in = new FileInputStream("/proc/self/status")) {
            String status = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            int at = status.indexOf("VmHWM:");
            if (at < 0) {
                return -1;
            }
            String rest = status.substring(at + 6, status.indexOf('\n', at)).trim();
            return Long.parseLong(rest.substring(0, rest.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * How long this process's live threads have waited, runnable, for a CPU (microseconds): the
     * second field of each {@code /proc/self/task/<tid>/schedstat}. On a quiet machine it is a
     * few milliseconds; when other processes hold the CPUs it is most of a short process's wall
     * time, which is what once made the bare-JVM floor read 109 ms instead of about 30.
     * Threads that already ended are not counted, so it is a lower bound. Linux only; -1 elsewhere.
     */
    public static long runQueueWaitMicros() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            long nanos = 0;
            for (Path task : tasks.toList()) {
                try {
                    String[] fields = Files.readString(task.resolve("schedstat"), StandardCharsets.US_ASCII).trim().split(" ");
                    nanos += Long.parseLong(fields[1]);
                } catch (IOException e) {
                    // The thread ended between the listing and the read.
                }
            }
            return nanos / 1000;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Whether an answer as {@link Invoker#invoke} describes it is a success: 2xx/3xx, no failed
     * batch item, or no error.
     */
    public static boolean succeeded(String outcome) {
        return outcome.matches("HTTP_[23]\\d\\d") || outcome.equals("batch_failures_0") || outcome.equals("ok")
                || outcome.equals("empty");
    }

    /** Values must not contain spaces or line breaks. */
    public static void print(String... keyValues) {
        StringBuilder line = new StringBuilder(PREFIX);
        for (int i = 0; i < keyValues.length; i += 2) {
            line.append(keyValues[i]).append('=').append(keyValues[i + 1].replaceAll("\\s+", "_")).append(' ');
        }
        System.out.println(line.toString().trim());
        System.out.flush();
    }
}
