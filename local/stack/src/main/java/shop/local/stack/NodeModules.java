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
 * The npm emulators under local/: installs them with {@code npm ci} from the committed
 * package-lock.json on first use, so that a fresh clone needs no manual step.
 */
final class NodeModules {

    static final String S3RVER = "node_modules/s3rver/bin/s3rver.js";
    static final String SES = "node_modules/aws-ses-v2-local/dist/cli.js";
    /** aws-ses-v2-local started with the configuration set and message tags kept on each mail. */
    static final String SES_SERVER = "ses_server.cjs";

    private NodeModules() {
    }

    /** The repository's local/ directory, found by walking up from the working directory. */
    static Path localDirectory() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("local/package-lock.json"))) {
                return dir.resolve("local");
            }
            if (dir.getFileName() != null && dir.getFileName().toString().equals("local")
                    && Files.isRegularFile(dir.resolve("package-lock.json"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No local/package-lock.json in " + start + " or any directory above it");
    }

    /**
     * Runs {@code npm ci} when an emulator is missing or package-lock.json changed since the
     * last install. A file lock keeps two test JVMs from installing at the same time.
     */
    static synchronized void ensureInstalled(Path localDir) {
        if (upToDate(localDir)) {
            return;
        }
        Path lockFile = Path.of(System.getProperty("java.io.tmpdir"), "shop-local-npm-ci.lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            if (!upToDate(localDir)) {
                npmCi(localDir);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
    }

    private static boolean upToDate(Path localDir) {
        if (!List.of(S3RVER, SES).stream().allMatch(p -> Files.isRegularFile(localDir.resolve(p)))) {
            return false;
        }
        try {
            // npm writes node_modules/.package-lock.json on every install.
            Path installed = localDir.resolve("node_modules/.package-lock.json");
            return Files.isRegularFile(installed) && Files.getLastModifiedTime(installed)
                    .compareTo(Files.getLastModifiedTime(localDir.resolve("package-lock.json"))) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void npmCi(Path localDir) {
        System.err.println("local stack: installing the emulators (npm ci in " + localDir + ") ...");
        String npm = System.getProperty("os.name").startsWith("Windows") ? "npm.cmd" : "npm";
        try {
            Path log = Files.createTempFile("npm-ci", ".log");
            Process process = new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund")
                    .directory(localDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException("npm ci in " + localDir + " took more than 10 minutes");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("npm ci in " + localDir + " failed with exit code "
                        + process.exitValue() + ":\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run npm ci in " + localDir
                    + ": is Node.js (with npm) installed and on the PATH? " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during npm ci", e);
        }
    }
}
