package shop.privacy.testing;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import shop.privacy.ExportFiles;

public final class InMemoryExportFiles implements ExportFiles {
    public final Map<String, byte[]> files = new HashMap<>();

    @Override
    public void put(String key, byte[] json) {
        files.put(key, json);
    }

    @Override
    public void delete(String key) {
        files.remove(key);
    }

    @Override
    public URI downloadUrl(String key, Duration validFor) {
        return URI.create("https://exports.example.test/" + key + "?expires=" + validFor.toSeconds());
    }

    public String text(String key) {
        return new String(files.get(key), StandardCharsets.UTF_8);
    }
}
