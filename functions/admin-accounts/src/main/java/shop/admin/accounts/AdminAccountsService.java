package shop.admin.accounts;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import shop.core.admin.AdminAction;
import shop.core.admin.AdminCaller;
import shop.core.admin.AuditTrail;
import shop.core.email.EmailAddress;
import shop.core.errors.ConflictException;
import shop.core.errors.NotFoundException;
import shop.core.json.Json;
import shop.core.retention.RetentionSchedule;

/**
 * Who is signed in, and the owner's staff: list, invite, disable. Every change is recorded in
 * the audit trail under {@code STAFF#<sub>}. The group checks come first in every method.
 */
public final class AdminAccountsService {

    /** Cognito's limit for a username (an email address is at most 254 anyway). */
    static final int MAX_USERNAME = 128;

    private final StaffDirectory directory;
    private final AuditTrail audit;
    private final Clock clock;

    public AdminAccountsService(StaffDirectory directory, AuditTrail audit, Clock clock) {
        this.directory = directory;
        this.audit = audit;
        this.clock = clock;
    }

    /** The caller as the admin page shows it: the sign-in name and the groups (staff or owners). */
    public Map<String, Object> me(AdminCaller caller) {
        caller.requireStaff();
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("username", directory.find(caller.username()).map(StaffMember::username).orElse(caller.username()));
        me.put("subject", caller.subject());
        me.put("groups", caller.groups().stream().sorted().toList());
        return me;
    }

    /** Everyone in the staff group (owners only). */
    public List<StaffMember> staff(AdminCaller caller) {
        caller.requireOwner();
        return directory.inGroup(AdminCaller.STAFF);
    }

    /** Invites {@code rawEmail} into the staff group; Cognito mails the temporary password (owners only). */
    public StaffMember invite(AdminCaller caller, String rawEmail) {
        caller.requireOwner();
        EmailAddress email = EmailAddress.parse("email", rawEmail);
        StaffMember invited;
        try {
            invited = directory.invite(email.value(), AdminCaller.STAFF);
        } catch (StaffDirectory.AlreadyExists e) {
            throw new ConflictException("That address already has a back-office account.");
        }
        record(caller, invited, "staff.invited", null, Map.of("username", invited.username(),
                "group", AdminCaller.STAFF));
        return invited;
    }

    /**
     * Disables a staff account and signs it out everywhere (owners only). Only staff accounts:
     * an owner is not disabled from here, so the shop cannot lock out its last owner by a click.
     */
    public StaffMember disable(AdminCaller caller, String username) {
        caller.requireOwner();
        if (username.length() > MAX_USERNAME || username.chars().anyMatch(Character::isISOControl)) {
            throw new NotFoundException("No staff account by that name."); // Cognito would refuse it too
        }
        StaffMember member = directory.find(username)
                .filter(m -> directory.groupsOf(username).equals(List.of(AdminCaller.STAFF)))
                .orElseThrow(() -> new NotFoundException("No staff account by that name."));
        if (!member.enabled()) {
            return member; // pressing the button twice changes nothing and records nothing
        }
        directory.disable(member.username());
        StaffMember disabled = new StaffMember(member.username(), member.subject(), member.status(), false);
        record(caller, disabled, "staff.disabled", Map.of("enabled", true), Map.of("enabled", false));
        return disabled;
    }

    private void record(AdminCaller caller, StaffMember member, String action, Object before, Object after) {
        Instant now = clock.instant();
        long expiresAt = RetentionSchedule.ADMIN_AUDIT.expiresAt(now);
        audit.record(AdminAction.by(caller, "STAFF#" + member.subject(), action, now,
                before == null ? null : Json.write(before), Json.write(after), expiresAt));
    }
}
