package shop.local.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One emulator running as a child process on its own port, its output in a log file. Started
 * here and stopped here, by its own process handle, never by name.
 */
final class EmulatorProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final Path log;
    private final int port;
    private final Thread shutdownHook = new Thread(this::stop, "stop-emulator");

    private EmulatorProcess(String name, Process process, Path log, int port) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
        // Registered as soon as the process exists, so that Ctrl-C even during start-up leaves nothing running.
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts {@code node script args...} and waits until it accepts TCP connections on {@code port}. */
    static EmulatorProcess startNode(String name, Path workDir, Path logDir, int port, String script, List<String> args) {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(args);
        return start(name, workDir, logDir, port, command, "is Node.js installed and on the PATH?");
    }

    /** Starts {@code command} in {@code workDir} and waits until it accepts TCP connections on {@code port}. */
    static EmulatorProcess start(String name, Path workDir, Path logDir, int port, List<String> command, String hint) {
        return start(name, workDir, logDir, port, command, java.util.Map.of(), hint);
    }

    /** As {@link #start(String, Path, Path, int, List, String)}, with {@code environment} added to the child's. */
    static EmulatorProcess start(String name, Path workDir, Path logDir, int port, List<String> command,
                                 java.util.Map<String, String> environment, String hint) {
        Path log = logDir.resolve(name + ".log");
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start " + name + " (" + String.join(" ", command)
                    + "): " + hint + " " + e.getMessage(), e);
        }
        EmulatorProcess started = new EmulatorProcess(name, process, log, port);
        try {
            started.awaitPort();
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void awaitPort() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " before accepting connections on port " + port + ". Its output:\n" + output());
            }
            if (accepts(port)) {
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException(name + " did not accept connections on port " + port + " within "
                + START_TIMEOUT.toSeconds() + " s. Its output:\n" + output());
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    int port() {
        return port;
    }

    String output() {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.length() > 4000 ? "..." + text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException jvmExiting) {
            // the hook runs (or ran) anyway
        }
        stop();
    }

    /** Stops the process and anything it started; SIGTERM first, then SIGKILL after 5 s. */
    private void stop() {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting", e);
        }
    }
}
