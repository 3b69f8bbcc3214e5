package shop.campaigns;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import shop.core.admin.AdminAction;

/**
 * Where campaigns live (template.yaml's CampaignsTable). Every change is one conditional write on
 * the campaign, so two owners, the dispatcher and the senders never undo each other's work. An
 * owner's change carries its line of the audit trail ({@code line}): the change and the line are
 * written together or not at all (a refused condition, a function stopped), so a change never
 * lacks its line and a refused one has none.
 */
public interface CampaignStore {
    /** Writes a new campaign with its line. */
    void create(Campaign campaign, AdminAction line);

    Optional<Campaign> find(String id);

    /**
     * Newest first, up to {@code limit}, from just after {@code after} (where the page before ended; empty: the newest);
     * the page and where the next one starts (empty on the last).
     */
    Page list(int limit, Optional<Position> after);

    /** A campaign's place in the newest-first list: when it was created, and its id. */
    record Position(Instant createdAt, String id) {
    }

    /** A page of the list and where the next one starts. */
    record Page(List<Campaign> campaigns, Optional<Position> next) {
        public Page {
            campaigns = List.copyOf(campaigns);
        }
    }

    /** Changes subject and bodies, with its line, while the campaign is a draft; false (no line) when it is not one. */
    boolean updateDraft(String id, String subject, String html, String text, AdminAction line);

    /**
     * Moves the campaign from one of {@code from} to {@code to}; {@code sendAt} is set when not
     * null. A status that sends or waits to send makes it due for the dispatcher. {@code newPass}
     * starts a new pass over the audience from its beginning. Without a line: the dispatcher's own
     * move ({@code SCHEDULED → SENDING}), which is no one's action in the back office.
     */
    boolean transition(String id, Set<Campaign.Status> from, Campaign.Status to, Instant sendAt, boolean newPass);

    /** An owner's {@link #transition}, written with its line; false (no line) when refused. */
    boolean transition(String id, Set<Campaign.Status> from, Campaign.Status to, Instant sendAt, boolean newPass,
                       AdminAction line);

    /**
     * Scheduled, sending and dispatched campaigns whose time has come (a Query on the due index): a
     * dispatched one stays due until it is SENT, so that the dispatcher finishes it should no one else.
     */
    List<Campaign> due(Instant now);

    /** Where the dispatcher stopped in the audience of {@code pass} (empty: at the start). */
    Optional<String> cursor(String id);

    /**
     * Records that the recipients up to {@code cursor} are queued, the {@code queued} of them after {@code from} (the
     * place this dispatch read, empty at the start); false when the campaign was paused or cancelled meanwhile (or
     * another pass began), or its place is no longer {@code from}: another run of the dispatcher queued that page
     * and counted it (or this write's own retry, its first answer lost), which stops this dispatch, so no page
     * is counted twice in {@code queued}.
     */
    boolean advance(String id, int pass, Optional<String> from, String cursor, int queued);

    /** Every recipient of {@code pass} is queued, the last {@code queued} of them just now; it stays due. */
    boolean dispatched(String id, int pass, int queued);

    /**
     * {@code DISPATCHED → SENT} at {@code at}, if the campaign is still on {@code pass} and every
     * recipient queued in it is handled ({@code handled >= queued}); no longer due; true only for
     * the one call that made it SENT.
     */
    boolean finish(String id, int pass, Instant at);
}
