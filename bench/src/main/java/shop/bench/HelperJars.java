package shop.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The two small jars the bench puts next to a function's jar, written from the bench's own
 * classes (so they exist in the test phase too, before Maven packages anything):
 * <ul>
 *   <li>{@code bench-probe.jar}: the cold-start probe and the empty main, nothing else;</li>
 *   <li>{@code bench-inprocess.jar}: the probe classes plus the AWS call counter and the SDK's
 *       {@code execution.interceptors} file that registers it. That file is kept under another
 *       name in the bench's own classes, so the bench's own SDK clients (the local stack's)
 *       are never counted.</li>
 * </ul>
 */
record HelperJars(Path probe, Path inProcess) {
    static final String INTERCEPTORS = "software/amazon/awssdk/global/handlers/execution.interceptors";

    static HelperJars write(Path dir) throws IOException {
        Files.createDirectories(dir);
        HelperJars jars = new HelperJars(dir.resolve("bench-probe.jar"), dir.resolve("bench-inprocess.jar"));
        Path location = ownLocation();
        if (Files.isDirectory(location)) {
            jars.writeFrom(location.resolve("shop/bench"));
        } else {
            try (FileSystem classes = FileSystems.newFileSystem(location)) {
                jars.writeFrom(classes.getPath("/shop/bench"));
            }
        }
        return jars;
    }

    private void writeFrom(Path own) throws IOException {
        jar(probe, own, List.of("probe"), null);
        jar(inProcess, own, List.of("probe", "calls"), own.resolve("calls/execution.interceptors"));
    }

    private static void jar(Path target, Path own, List<String> packages, Path interceptors) throws IOException {
        try (OutputStream file = Files.newOutputStream(target); ZipOutputStream zip = new ZipOutputStream(file)) {
            for (String pkg : packages) {
                try (Stream<Path> entries = Files.list(own.resolve(pkg))) {
                    for (Path entry : entries.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                        add(zip, "shop/bench/" + pkg + "/" + entry.getFileName(), entry);
                    }
                }
            }
            if (interceptors != null) {
                add(zip, INTERCEPTORS, interceptors);
            }
        }
    }

    private static void add(ZipOutputStream zip, String name, Path content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        try (InputStream in = Files.newInputStream(content)) {
            in.transferTo(zip);
        }
        zip.closeEntry();
    }

    /** target/classes when run from Maven or an IDE, bench.jar when run from bench/run. */
    private static Path ownLocation() throws IOException {
        try {
            return Path.of(HelperJars.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
