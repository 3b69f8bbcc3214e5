package shop.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Starts its own stacks (not the run's shared one), because it stops them. */
class LocalAwsLifecycleTest {

    @Test
    void closeStopsEveryEmulator() {
        List<ProcessHandle> processes;
        List<Integer> ports;
        try (LocalAws aws = LocalAws.start(Fixtures.fixtureTemplateFile())) {
            processes = aws.processes();
            ports = Arrays.stream(Service.values()).map(s -> aws.endpoint(s).getPort()).toList();
            assertEquals(3, processes.size());
            assertTrue(processes.stream().allMatch(ProcessHandle::isAlive));
            assertTrue(ports.stream().allMatch(EmulatorProcess::accepts));
            assertTrue(aws.dynamo().listTables().tableNames().contains("FixtureOrdersTable"));
        }
        assertTrue(processes.stream().noneMatch(ProcessHandle::isAlive), "still running: " + processes);
        assertTrue(ports.stream().noneMatch(EmulatorProcess::accepts), "a port still answers: " + ports);
    }

    /** Ctrl-C and a plain kill both run the JVM's shutdown hooks; SIGTERM is the one we can send. */
    @Test
    void killingTheJvmStopsEveryEmulator() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process jvm = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                StackMain.class.getName(), Fixtures.fixtureTemplateFile().toString())
                .redirectErrorStream(true).start();
        List<ProcessHandle> emulators;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
            String ready = out.lines().filter(l -> l.startsWith("READY ")).findFirst()
                    .orElseThrow(() -> new AssertionError("the stack did not start"));
            emulators = Arrays.stream(ready.substring(6).split(" ")).map(Long::parseLong)
                    .map(ProcessHandle::of).map(Optional::orElseThrow).toList();
            assertEquals(3, emulators.size());
            assertTrue(emulators.stream().allMatch(ProcessHandle::isAlive));
            jvm.destroy(); // SIGTERM
            assertTrue(jvm.waitFor(20, TimeUnit.SECONDS), "the JVM did not exit");
        } finally {
            jvm.destroyForcibly();
        }
        for (ProcessHandle emulator : emulators) {
            emulator.onExit().get(5, TimeUnit.SECONDS);
        }
        assertFalse(emulators.stream().anyMatch(ProcessHandle::isAlive));
    }
}
