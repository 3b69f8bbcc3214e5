package shop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The deployable jar as {@code sam deploy} uploads it: its size, what it unpacks to, how many classes. */
record Artifact(long zippedBytes, long unzippedBytes, int classes) {

    static Artifact of(Path jar) throws IOException {
        long unzipped = 0;
        int classes = 0;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (var entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                unzipped += Math.max(0, entry.getSize());
                if (entry.getName().endsWith(".class")) {
                    classes++;
                }
            }
        }
        return new Artifact(Files.size(jar), unzipped, classes);
    }

    static double megabytes(long bytes) {
        return bytes / 1_000_000.0;
    }
}
