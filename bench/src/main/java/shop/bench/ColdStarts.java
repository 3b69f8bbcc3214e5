package shop.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import shop.bench.probe.ColdStartProbe;
import shop.bench.probe.EmptyMain;
import shop.bench.probe.ProbeOutput;

/**
 * Fresh JVMs with Lambda's flags: the bare-JVM floor (an empty main) and each function's first
 * invocation (see {@link ColdStartProbe}), timed from the instant this process launches them.
 */
final class ColdStarts {
    /**
     * What the Lambda Java runtime starts its JVM with, as `ps` shows it inside a function (java17
     * and java21): the serial collector, a heap of 85 % of the function's memory
     * ({@link #heapFor}), class data sharing, and C1 only (JAVA_TOOL_OPTIONS in template.yaml
     * too). Without the first two a JVM on this 24 GiB machine would size its heap and pick
     * its collector for the machine, not for a 1,024 MB function: its peak RSS would be the
     * machine's, not Lambda's. Lambda's own CDS archive (runtime.jsa) is not here; the JDK's is.
     */
    static final List<String> LAMBDA_FLAGS = List.of("-XX:+UseSerialGC", "-XX:+TieredCompilation",
            "-XX:TieredStopAtLevel=1", "-Xshare:auto");
    /** The template's Globals MemorySize, for the floor, which has no function of its own. */
    static final int DEFAULT_MEMORY_MB = 1024;

    /**
     * Lambda's -XX:MaxHeapSize for a function of {@code memoryMb}: 85 % of it (445645k at 512 MB);
     * and the memory the JVM sizes the rest of its heap by (its initial heap is 1/64 of it):
     * inside Lambda's microVM that is the function's memory, here it would be the machine's.
     */
    static List<String> heapFor(int memoryMb) {
        return List.of("-XX:MaxHeapSize=" + Math.round(memoryMb * 1024 * 0.85) + "k", "-XX:MaxRAM=" + memoryMb + "m");
    }

    /**
     * One fresh JVM: time from launch to the first response, to the end of init, and from the
     * end of init (or of priming) to the first response; peak RSS; the answer.
     */
    record Sample(double totalMs, double initMs, double firstCallMs, double peakRssMib, double runQueueWaitMs, String outcome) {
        boolean succeeded() {
            return ProbeOutput.succeeded(outcome);
        }
    }

    private final Path java;
    private final HelperJars jars;
    private final Path workDir;
    private final Map<Path, Path> unpacked = new HashMap<>();

    ColdStarts(Path java, HelperJars jars, Path workDir) {
        this.java = java;
        this.jars = jars;
        this.workDir = workDir;
    }

    Sample floor() throws IOException, InterruptedException {
        return run(jars.probe().toString(), EmptyMain.class.getName(), List.of(), Map.of(), DEFAULT_MEMORY_MB);
    }

    /**
     * The function's package and the probe, nothing else; the process environment is the
     * function's local one plus what the Lambda runtime itself sets. The package unpacked, as
     * Lambda unpacks it into /var/task before the JVM starts: classes read from a directory, not
     * inflated out of the jar (which cost 8 to 13 % of a cold start here). The probe, the
     * runtime's stand-in, stays a jar, as the runtime's own classes are.
     */
    Sample function(FunctionUnderTest function, Map<String, String> environment, String eventJson, boolean primed)
            throws IOException, InterruptedException {
        Path event = Files.writeString(workDir.resolve(function.logicalId() + "-event.json"), eventJson);
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.logicalId());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("TZ", ":UTC");
        return run(unpacked(function.jar()) + File.pathSeparator + jars.probe(), ColdStartProbe.class.getName(),
                primed ? List.of(function.handler(), event.toString(), "--primed") : List.of(function.handler(), event.toString()),
                env, function.memoryMb());
    }

    /** The jar's entries under the work directory, unpacked once per run. */
    Path unpacked(Path jar) throws IOException {
        Path existing = unpacked.get(jar);
        if (existing != null) {
            return existing;
        }
        Path task = workDir.resolve("task-" + jar.getFileName().toString().replace(".jar", ""));
        if (Files.exists(task)) {
            try (var stale = Files.walk(task)) { // a previous run's package: none of its classes may stay
                for (Path path : stale.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.createDirectories(task);
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                Path target = task.resolve(entry.getName()).normalize();
                if (!target.startsWith(task)) {
                    throw new IOException("entry outside the package: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        unpacked.put(jar, task);
        return task;
    }

    private Sample run(String classpath, String mainClass, List<String> args, Map<String, String> env, int memoryMb)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(heapFor(memoryMb));
        command.addAll(LAMBDA_FLAGS);
        command.addAll(List.of("-cp", classpath, mainClass));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);

        long launched = System.nanoTime();
        Process process = builder.start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return failed("timed_out");
        }
        String text = output.join();
        Map<String, String> probe = probeLine(text);
        if (!probe.containsKey("responded")) {
            String tail = text.length() > 600 ? text.substring(text.length() - 600) : text;
            return failed("no_answer: " + tail.strip().replaceAll("\\s+", " "));
        }
        if (text.contains("snapstart_priming_failed")) {
            // Priming never fails a snapshot, so it only says so in the log: in a trimmed jar, a class it needs may be gone.
            return failed("priming_failed: " + text.lines().filter(l -> l.contains("snapstart_priming_failed")).findFirst().orElse(""));
        }
        long responded = Long.parseLong(probe.get("responded"));
        double init = probe.containsKey("constructed") ? (Long.parseLong(probe.get("constructed")) - launched) / 1e6 : Double.NaN;
        double firstCall = probe.containsKey("restored") ? (responded - Long.parseLong(probe.get("restored"))) / 1e6 : Double.NaN;
        return new Sample((responded - launched) / 1e6, init, firstCall, Long.parseLong(probe.get("peakRssKib")) / 1024.0,
                Long.parseLong(probe.getOrDefault("waitUs", "-1")) / 1000.0, probe.get("outcome"));
    }

    private static Sample failed(String why) {
        return new Sample(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, why);
    }

    private static Map<String, String> probeLine(String output) {
        Map<String, String> values = new HashMap<>();
        output.lines().filter(l -> l.startsWith(ProbeOutput.PREFIX)).reduce((a, b) -> b).ifPresent(line -> {
            for (String pair : line.substring(ProbeOutput.PREFIX.length()).split(" ")) {
                int eq = pair.indexOf('=');
                values.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        });
        return values;
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
