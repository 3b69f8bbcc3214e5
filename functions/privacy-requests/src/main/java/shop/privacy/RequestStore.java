package shop.privacy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Privacy requests, their audit trails, verification tokens and download links (template.yaml's
 * PrivacyRequestsTable). Every write is one conditional single-item write; reads never return
 * an item whose retention has passed. A request's retention follows its state
 * ({@link RequestRetention}): a move that changes it sets the item's expiry again.
 */
public interface RequestStore {
    /** Stores a new request with the first line of its trail and, unless null, its verification token. */
    void create(PrivacyRequest request, AuditEntry first, VerificationToken token);

    Optional<PrivacyRequest> find(String requestId);

    Optional<VerificationToken> findToken(String tokenHash);

    /** Marks the token used; false when it was used already (a link works once). */
    boolean useToken(String tokenHash, Instant at);

    /** Moves the request from {@code from} to {@code to}; false when it was not in {@code from}. */
    boolean transition(String requestId, RequestStatus from, RequestStatus to, Instant at);

    /**
     * Ends the request (COMPLETED or EXPIRED) if it is still {@code from}: takes it off the open
     * list and forgets its address and correction. False when it had moved on meanwhile.
     */
    boolean close(String requestId, RequestStatus from, RequestStatus to, Instant at);

    /**
     * Closes as LAPSED a request still open at its due date: FAILED, or VERIFIED with its run
     * (from the link, or from a retry) started no later than {@code stalledBefore}, so never one
     * that is running. Forgets its address, correction and source IPs, as {@link #close} does,
     * and keeps its trail. False when it was none of these.
     */
    boolean lapse(String requestId, RequestStatus from, Instant at, Instant stalledBefore);

    /**
     * Notes an IP address the request was made or confirmed from (access and erasure cover the
     * visit-log lines of these); forgotten with the address when the request closes.
     */
    void addSourceIp(String requestId, String sourceIp);

    Set<String> sourceIps(String requestId);

    /** Forgets the address, correction and source IPs of a request (after an erasure), keeping its trail. */
    void forgetPersonalData(String requestId);

    /** Appends to the trail; earlier entries are never changed. */
    void append(String requestId, AuditEntry entry);

    List<AuditEntry> audit(String requestId);

    /** Every request ever made for the address, oldest first. */
    List<PrivacyRequest> byAddress(String addressHash);

    /** Requests still open (received, verified or failed), by due date. */
    List<PrivacyRequest> open();

    /** As {@link #open}, each with its trail: the back office's list, read in one Query. */
    List<Tracked> openWithTrails();

    /** A request and its audit trail, oldest entry first. */
    record Tracked(PrivacyRequest request, List<AuditEntry> trail) {
        public Tracked {
            trail = List.copyOf(trail);
        }
    }

    /** Notes the export an access request wrote and the link that downloads it. */
    void saveExport(String requestId, DownloadLink link);

    Optional<DownloadLink> findDownload(String tokenHash);

    /** Removes the download link and the export key of a request whose file was deleted. */
    void forgetExport(String requestId);
}
