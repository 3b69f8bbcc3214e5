package shop.privacy;

/** The raw messages SES stores for the inbound "Unsubscribe" rule (template.yaml's InboundMailBucket). */
public interface RawMail {
    /** Deletes the stored message; one already gone is fine. */
    void delete(String messageId);
}
