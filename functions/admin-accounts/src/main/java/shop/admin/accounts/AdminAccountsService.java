package shop.admin.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import shop.core.admin.AdminAction;
import shop.core.admin.AdminCaller;
import shop.core.admin.AuditTrail;
import shop.core.email.EmailAddress;
import shop.core.errors.ConflictException;
import shop.core.errors.NotFoundException;
import shop.core.json.Json;
import shop.core.retention.RetentionSchedule;

/**
 * Who is signed in, and the owner's staff: list, invite, disable, enable, resend an invitation.
 * Every change is recorded in the audit trail under {@code STAFF#<sub>}: its request before the
 * Cognito call, its outcome after. The group checks come first in every method.
 */
public final class AdminAccountsService {

    /** Cognito's limit for a username (an email address is at most 254 anyway). */
    static final int MAX_USERNAME = 128;
    /** How long after a resent invitation another is refused: a second press would replace its password. */
    static final Duration RESEND_PAUSE = Duration.ofMinutes(5);
    private static final String TAKEN = "That address already has a back-office account.";

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

    /**
     * Invites {@code rawEmail} into the staff group; Cognito mails the temporary password (owners
     * only). The account and its {@code sub} do not exist before the call, so the request and a
     * failure are recorded under {@code STAFF#<address>}; {@code staff.invited} under the new
     * account's {@code STAFF#<sub>}, naming the address. An account in no group is an invitation
     * the pool cut short (made and mailed, then AdminAddUserToGroup failed): inviting it again
     * only adds the group, recorded under its {@code STAFF#<sub>}; otherwise no one could list,
     * disable or invite it again.
     */
    public StaffMember invite(AdminCaller caller, String rawEmail) {
        caller.requireOwner();
        EmailAddress email = EmailAddress.parse("email", rawEmail);
        var existing = directory.find(email.value());
        if (existing.isPresent()) {
            if (!directory.groupsOf(email.value()).isEmpty()) {
                throw new ConflictException(TAKEN); // before the request's line: a refusal writes nothing
            }
            return finishInvitation(caller, existing.get());
        }
        Map<String, Object> after = Map.of("username", email.value(), "group", AdminCaller.STAFF);
        Actor actor = actor(caller);
        String requested = "STAFF#" + email.value();
        record(actor, requested, "staff.invite_requested", null, after);
        StaffMember invited;
        try {
            invited = directory.invite(email.value(), AdminCaller.STAFF);
        } catch (StaffDirectory.AlreadyExists e) {
            recordFailure(actor, requested, "staff.invite_failed", e, "UsernameExistsException");
            // Made by this very call, its answer lost and the SDK's retry refused (or by someone
            // else since the look-up): in no group yet, it is finished here; in one, it is taken.
            var made = directory.find(email.value()).filter(m -> directory.groupsOf(email.value()).isEmpty());
            if (made.isPresent()) {
                return finishInvitation(caller, made.get());
            }
            throw new ConflictException(TAKEN);
        } catch (RuntimeException e) {
            recordFailure(actor, requested, "staff.invite_failed", e, null);
            throw e;
        }
        record(actor, "STAFF#" + invited.subject(), "staff.invited", null, Map.of("username", invited.username(),
                "group", AdminCaller.STAFF));
        return invited;
    }

    /** An invitation whose account was made and whose group was not: the group, recorded under its {@code STAFF#<sub>}. */
    private StaffMember finishInvitation(AdminCaller caller, StaffMember member) {
        Map<String, Object> group = Map.of("username", member.username(), "group", AdminCaller.STAFF);
        return change(caller, member, "staff.invite", "staff.invited", null, group, () -> {
            directory.addToGroup(member.username(), AdminCaller.STAFF);
            return member;
        });
    }

    /**
     * Disables a staff account and signs it out everywhere (owners only). Only staff accounts:
     * an owner is not disabled from here, so the shop cannot lock out its last owner by a click.
     */
    public StaffMember disable(AdminCaller caller, String username) {
        caller.requireOwner();
        StaffMember member = staffAccount(username);
        if (!member.enabled()) {
            return member; // pressing the button twice changes nothing and records nothing
        }
        return change(caller, member, "staff.disable", "staff.disabled", Map.of("enabled", true), Map.of("enabled", false),
                () -> {
                    directory.disable(member.username());
                    return new StaffMember(member.username(), member.subject(), member.status(), false);
                });
    }

    /**
     * Lets a disabled staff account sign in again (owners only), with its own password and
     * authenticator: seasonal staff come back. Owners are not changed from here, as with disable.
     */
    public StaffMember enable(AdminCaller caller, String username) {
        caller.requireOwner();
        StaffMember member = staffAccount(username);
        if (member.enabled()) {
            return member; // nothing to change, nothing recorded
        }
        return change(caller, member, "staff.enable", "staff.enabled", Map.of("enabled", false), Map.of("enabled", true),
                () -> {
                    directory.enable(member.username());
                    return new StaffMember(member.username(), member.subject(), member.status(), true);
                });
    }

    /**
     * Mails a staff account's invitation again, with a new temporary password (owners only): only
     * while the account has never signed in and is enabled, and not twice within
     * {@link #RESEND_PAUSE} (each resend replaces the password the last one mailed).
     */
    public StaffMember resendInvitation(AdminCaller caller, String username) {
        caller.requireOwner();
        StaffMember member = staffAccount(username);
        if (!member.enabled()) {
            throw new ConflictException("This account is disabled: enable it first, then resend the invitation.");
        }
        if (!StaffMember.INVITED.equals(member.status())) {
            throw new ConflictException("This account has signed in already (status " + member.status()
                    + "): an invitation is resent only to an account that has never signed in.");
        }
        String subject = "STAFF#" + member.subject();
        Instant now = clock.instant();
        audit.of(subject).stream()
                .filter(line -> line.action().equals("staff.invitation_resent"))
                .filter(line -> line.at().isAfter(now.minus(RESEND_PAUSE)))
                .findFirst().ifPresent(line -> {
                    throw new ConflictException("The invitation was resent at " + line.at().truncatedTo(ChronoUnit.SECONDS)
                            + "; each resend replaces the temporary password,"
                            + " so wait " + RESEND_PAUSE.toMinutes() + " minutes before sending another.");
                });
        try {
            return change(caller, member, "staff.invitation_resend", "staff.invitation_resent", null,
                    Map.of("status", member.status()), () -> directory.resendInvitation(member.username()));
        } catch (StaffDirectory.NotInvited e) {
            throw new ConflictException("This account has signed in meanwhile: an invitation is resent only to an"
                    + " account that has never signed in.");
        }
    }

    /** A staff account by {@code username}, never an owner's; 404 otherwise, as for no account at all. */
    private StaffMember staffAccount(String username) {
        if (username.length() > MAX_USERNAME || username.chars().anyMatch(Character::isISOControl)) {
            throw new NotFoundException("No staff account by that name."); // Cognito would refuse it too
        }
        return directory.find(username)
                .filter(m -> directory.groupsOf(username).equals(List.of(AdminCaller.STAFF)))
                .orElseThrow(() -> new NotFoundException("No staff account by that name."));
    }

    /**
     * A change made in Cognito, which cannot join a DynamoDB transaction: its request is recorded
     * first ({@code <verb>_requested}), then what Cognito answered ({@code done}, or
     * {@code <verb>_failed} with the call and its error code). A stop between the two leaves the
     * request, whose outcome the account itself shows; never a change without a line.
     */
    private StaffMember change(AdminCaller caller, StaffMember member, String verb, String done, Object before,
                               Object after, Supplier<StaffMember> call) {
        Actor actor = actor(caller);
        String subject = "STAFF#" + member.subject();
        record(actor, subject, verb + "_requested", before, after);
        StaffMember changed;
        try {
            changed = call.get();
        } catch (RuntimeException e) {
            recordFailure(actor, subject, verb + "_failed", e, null);
            throw e;
        }
        record(actor, subject, done, before, after);
        return changed;
    }

    /** The failure's line; a failure to write it is added to the failure, which is what the caller gets. */
    private void recordFailure(Actor actor, String subject, String action, RuntimeException failure, String code) {
        Map<String, Object> after = new LinkedHashMap<>();
        if (failure instanceof StaffDirectory.Failed failed) {
            after.put("call", failed.call());
            after.put("error", failed.code());
        } else {
            after.put("error", code != null ? code : failure.getClass().getSimpleName());
        }
        try {
            record(actor, subject, action, null, after);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** Who acts, looked up once per action: the line's actor name is the sign-in address, not Cognito's id. */
    private Actor actor(AdminCaller caller) {
        return new Actor(caller.subject(),
                directory.find(caller.username()).map(StaffMember::username).orElse(caller.username()));
    }

    private record Actor(String subject, String name) {}

    private void record(Actor actor, String subject, String action, Object before, Object after) {
        Instant now = clock.instant();
        audit.record(new AdminAction(subject, now, actor.subject(), actor.name(), action,
                before == null ? null : Json.write(before), Json.write(after),
                RetentionSchedule.ADMIN_AUDIT.expiresAt(now)));
    }
}
