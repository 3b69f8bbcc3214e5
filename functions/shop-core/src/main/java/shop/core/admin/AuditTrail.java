package shop.core.admin;

import java.util.List;

/** The back office's append-only audit trail. Lines are added, never changed or removed by code. */
public interface AuditTrail {

    void record(AdminAction action);

    /** The trail of one record ({@code ORDER#<id>}, ...), oldest first. */
    List<AdminAction> of(String subject);
}
