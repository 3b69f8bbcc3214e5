package shop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LambdaFlagsTest {
    @Test
    void theHeapIsWhatLambdaGivesAFunctionOfThatMemory() {
        // As `ps` shows the java17 runtime's JVM in a 512 MB function.
        assertEquals("-XX:MaxHeapSize=445645k", ColdStarts.heapFor(512).get(0));
        assertEquals(List.of("-XX:MaxHeapSize=891290k", "-XX:MaxRAM=1024m"), ColdStarts.heapFor(1024));
    }

    @Test
    void theCollectorIsLambdasNotTheMachines() {
        assertTrue(ColdStarts.LAMBDA_FLAGS.contains("-XX:+UseSerialGC"));
        assertTrue(ColdStarts.LAMBDA_FLAGS.contains("-XX:TieredStopAtLevel=1"));
    }

    /** As Lambda runs a function: its package unpacked into a directory, with nothing left of an earlier one. */
    @Test
    void theFunctionRunsFromItsPackageUnpacked(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("shop.jar");
        writeJar(jar, "shop/Handler.class", "new");
        Path stale = Files.createDirectories(dir.resolve("work/task-shop/shop")).resolve("Removed.class");
        Files.writeString(stale, "from the previous build");

        Path task = new ColdStarts(Path.of("java"), null, dir.resolve("work")).unpacked(jar);

        assertEquals(dir.resolve("work/task-shop"), task);
        assertEquals("new", Files.readString(task.resolve("shop/Handler.class")));
        assertTrue(Files.notExists(stale), "a class of the previous package is gone");
    }

    private static void writeJar(Path jar, String entry, String content) throws IOException {
        try (var zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry("shop/"));
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }
}
