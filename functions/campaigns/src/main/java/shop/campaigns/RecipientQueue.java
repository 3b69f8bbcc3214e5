package shop.campaigns;

import java.util.List;

/** The queue between the dispatcher and the senders; a message names recipients by address hash only. */
public interface RecipientQueue {
    int RECIPIENTS_PER_MESSAGE = 25;

    void enqueue(String campaignId, int pass, List<String> addressHashes);
}
