package shop.core.logging;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import shop.core.json.Json;

/**
 * One JSON object per line on stdout, which Lambda ships to CloudWatch. Callers pass ids,
 * hashes and counts only: never an address, name, token or raw payload.
 */
public final class Log {
    private Log() {
    }

    public static void info(String event, Map<String, ?> fields) {
        write("INFO", event, fields);
    }

    public static void warn(String event, Map<String, ?> fields) {
        write("WARN", event, fields);
    }

    public static void error(String event, Map<String, ?> fields) {
        write("ERROR", event, fields);
    }

    private static void write(String level, String event, Map<String, ?> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("level", level);
        line.put("event", event);
        line.putAll(fields);
        System.out.println(Json.write(line));
    }
}
