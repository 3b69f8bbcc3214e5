package shop.privacy;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The visit log (template.yaml's VisitsTable: page views with the full IP address and user
 * agent, 30 days) as far as a privacy request reaches: the lines recorded from the IP addresses
 * the request was made and confirmed from, the only ones the requester shows to be theirs.
 * Found by Query on the index by source IP, never a Scan.
 */
public interface VisitLog {
    /** The lines from these addresses, as plain values, oldest first. */
    List<Map<String, Object>> lines(Set<String> sourceIps);

    /** Deletes the lines from these addresses; returns how many there were. */
    int erase(Set<String> sourceIps);
}
