package shop.privacy.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import shop.privacy.VisitLog;

/** Visit-log lines in memory: each a map with at least {@code sourceIp}. */
public final class InMemoryVisitLog implements VisitLog {
    public final List<Map<String, Object>> lines = new ArrayList<>();

    @Override
    public List<Map<String, Object>> lines(Set<String> sourceIps) {
        return lines.stream().filter(line -> sourceIps.contains(line.get("sourceIp"))).toList();
    }

    @Override
    public int erase(Set<String> sourceIps) {
        int before = lines.size();
        lines.removeIf(line -> sourceIps.contains(line.get("sourceIp")));
        return before - lines.size();
    }
}
