package shop.local.stack;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Python stand-in under local/: moto's server, pinned in requirements.txt. Where the
 * machine's python3 cannot import it, it is installed with pip on first use, so that a fresh
 * clone needs no manual step (as {@link NodeModules} does for the npm emulators).
 */
final class PythonModules {

    static final String PYTHON = System.getenv().getOrDefault("SHOP_PYTHON", "python3");

    /** What the moto server needs at run time; the "server" extra brings Flask and joserfc (Cognito's JWTs). */
    private static final String PROBE = "import moto, moto.server, flask, flask_cors, joserfc";

    private PythonModules() {
    }

    static synchronized void ensureInstalled(Path localDir) {
        if (importable()) {
            return;
        }
        Path lockFile = Path.of(System.getProperty("java.io.tmpdir"), "shop-local-pip.lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            if (!importable()) {
                System.err.println("local stack: installing moto (pip install -r " + localDir.resolve("requirements.txt")
                        + ") ...");
                String output = run(List.of(PYTHON, "-m", "pip", "install", "--user", "-q", "-r",
                        localDir.resolve("requirements.txt").toString()), localDir, 10);
                if (!importable()) {
                    throw new IllegalStateException("moto is still not importable by " + PYTHON
                            + " after pip install; pip said:\n" + output);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * The command that starts moto's server on {@code port}, loopback only, through
     * {@code local/moto_server.py}: moto's own server lets concurrent requests race inside its
     * DynamoDB (a conditional write or a transaction can pass twice, a cancelled transaction puts
     * back tables over others' writes), which DynamoDB never does; that script serves one request
     * at a time.
     */
    static List<String> motoServer(Path localDir, int port) {
        return List.of(PYTHON, localDir.resolve("moto_server.py").toString(), "127.0.0.1", String.valueOf(port));
    }

    private static boolean importable() {
        try {
            run(List.of(PYTHON, "-c", PROBE), Path.of("."), 1);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static String run(List<String> command, Path dir, int minutes) {
        try {
            Path log = Files.createTempFile("python", ".log");
            Process process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " took more than " + minutes + " min");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue()
                        + "):\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + command.get(0)
                    + ": is Python 3 installed and on the PATH (or SHOP_PYTHON set)? " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command.get(0), e);
        }
    }
}
