package shop.webhook;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

final class InMemoryProcessedEvents implements ProcessedEvents {
    final Map<String, String> events = new ConcurrentHashMap<>();

    @Override
    public boolean seen(String eventId) {
        return events.containsKey(eventId);
    }

    @Override
    public void record(String eventId, String type) {
        events.put(eventId, type);
    }
}
