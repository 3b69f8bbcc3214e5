package shop.webhook;

/** Stripe event ids whose work is done, kept 30 days (Stripe retries for 3). */
public interface ProcessedEvents {
    boolean seen(String eventId);

    /** Called only after every effect of the event is written, so a crash before it means a retry redoes the (idempotent) work. */
    void record(String eventId, String type);
}
