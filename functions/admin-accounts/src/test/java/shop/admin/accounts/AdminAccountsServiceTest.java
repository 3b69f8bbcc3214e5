package shop.admin.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import shop.core.admin.AdminAction;
import shop.core.admin.AdminCaller;
import shop.core.admin.AuditTrail;
import shop.core.errors.ConflictException;
import shop.core.errors.ForbiddenException;
import shop.core.errors.InvalidInputException;
import shop.core.errors.NotFoundException;
import shop.local.stack.MutableClock;

class AdminAccountsServiceTest {
    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    private final Directory directory = new Directory();
    private final List<AdminAction> trail = new ArrayList<>();
    private final MutableClock clock = new MutableClock(NOW);
    /** Set to make the trail's next write fail (DynamoDB down). */
    private RuntimeException trailFailure;
    private final AdminAccountsService service = new AdminAccountsService(directory, new AuditTrail() {
        @Override
        public void record(AdminAction action) {
            if (trailFailure != null) {
                throw trailFailure;
            }
            trail.add(action);
        }

        @Override
        public List<AdminAction> of(String subject) {
            return trail.stream().filter(a -> a.subject().equals(subject)).toList();
        }
    }, clock);

    private final AdminCaller owner = new AdminCaller("sub-owner", "sub-owner", Set.of("owners"));
    private final AdminCaller staff = new AdminCaller("sub-staff", "sub-staff", Set.of("staff"));

    AdminAccountsServiceTest() {
        directory.add(new StaffMember("owner@example.com", "sub-owner", "CONFIRMED", true), "owners");
        directory.add(new StaffMember("staff@example.com", "sub-staff", "CONFIRMED", true), "staff");
    }

    @Test
    void meShowsTheSignInAddressAndGroups() {
        Map<String, Object> me = service.me(staff);
        assertEquals("staff@example.com", me.get("username"));
        assertEquals(List.of("staff"), me.get("groups"));
    }

    @Test
    void staffMayNotListInviteDisableEnableOrResendAndNothingIsRecorded() {
        directory.add(new StaffMember("away@example.com", "sub-away", "CONFIRMED", false), "staff");
        directory.add(new StaffMember("new@example.com", "sub-new", "FORCE_CHANGE_PASSWORD", true), "staff");
        assertThrows(ForbiddenException.class, () -> service.staff(staff));
        assertThrows(ForbiddenException.class, () -> service.invite(staff, "friend@example.com"));
        assertThrows(ForbiddenException.class, () -> service.disable(staff, "staff@example.com"));
        assertThrows(ForbiddenException.class, () -> service.enable(staff, "away@example.com"));
        assertThrows(ForbiddenException.class, () -> service.resendInvitation(staff, "new@example.com"));
        assertEquals(List.of(), directory.calls);
        assertTrue(trail.isEmpty());
        assertEquals(4, directory.members.size());
    }

    @Test
    void anInvitationIsRecordedWithWhoAndWhen_itsRequestUnderTheAddressBeforeTheAccountExists() {
        StaffMember invited = service.invite(owner, "friend@example.com");
        assertEquals(List.of("staff"), directory.groupsOf("friend@example.com"));
        assertEquals(List.of("STAFF#friend@example.com staff.invite_requested",
                "STAFF#" + invited.subject() + " staff.invited"), lines());
        assertTrue(trail.get(0).after().contains("\"username\":\"friend@example.com\""), trail.get(0).after());
        AdminAction line = trail.get(1);
        assertEquals("STAFF#" + invited.subject(), line.subject());
        assertEquals("staff.invited", line.action());
        assertEquals("sub-owner", line.actor());
        assertEquals("owner@example.com", line.actorName());
        assertEquals(NOW, line.at());
        assertTrue(line.expiresAt() > NOW.getEpochSecond() + 365L * 24 * 3600);
    }

    @Test
    void badOrTakenAddressesAreRefusedAndNothingIsRecorded() {
        assertThrows(InvalidInputException.class, () -> service.invite(owner, "not an address"));
        assertThrows(InvalidInputException.class, () -> service.invite(owner, "a@example.com\r\nBcc: b@example.com"));
        assertThrows(ConflictException.class, () -> service.invite(owner, "staff@example.com"));
        assertTrue(trail.isEmpty());
    }

    @Test
    void anAddressTakenBetweenTheLookUpAndTheCreationIs409WithItsRequestAndFailure() {
        directory.failure = new StaffDirectory.AlreadyExists();
        assertThrows(ConflictException.class, () -> service.invite(owner, "friend@example.com"));
        assertEquals(List.of("STAFF#friend@example.com staff.invite_requested",
                "STAFF#friend@example.com staff.invite_failed"), lines());
        assertEquals("{\"error\":\"UsernameExistsException\"}", trail.get(1).after());
    }

    /**
     * The pool made the account and mailed its temporary password, then failed to put it in the
     * staff group: the account is in no group, so it is in no list, cannot be disabled, and
     * "already has an account" refused every new invitation. Inviting the address again finishes it.
     */
    @Test
    void anInvitationCutShortBeforeItsGroupIsFinishedByInvitingTheAddressAgain() {
        directory.groupFailure = new StaffDirectory.Failed("AdminAddUserToGroup", "TooManyRequestsException", null);
        assertThrows(StaffDirectory.Failed.class, () -> service.invite(owner, "friend@example.com"));
        assertEquals(List.of(), directory.groupsOf("friend@example.com"));
        assertEquals(List.of("STAFF#friend@example.com staff.invite_requested",
                "STAFF#friend@example.com staff.invite_failed"), lines());
        assertEquals("{\"call\":\"AdminAddUserToGroup\",\"error\":\"TooManyRequestsException\"}",
                trail.get(1).after());
        directory.groupFailure = null;
        trail.clear();

        StaffMember invited = service.invite(owner, "friend@example.com");

        assertEquals("friend@example.com", invited.username());
        assertEquals(List.of("staff"), directory.groupsOf("friend@example.com"));
        assertEquals(List.of("friend@example.com"), service.staff(owner).stream().map(StaffMember::username)
                .filter(u -> u.startsWith("friend")).toList());
        assertEquals(List.of("invite friend@example.com", "addToGroup friend@example.com"), directory.calls,
                "one account, one mail: the second invitation only adds the group");
        assertEquals(List.of("STAFF#" + invited.subject() + " staff.invite_requested",
                "STAFF#" + invited.subject() + " staff.invited"), lines());
        assertTrue(trail.get(1).after().contains("\"username\":\"friend@example.com\""), trail.get(1).after());
        assertTrue(trail.get(1).after().contains("\"group\":\"staff\""), trail.get(1).after());

        assertThrows(ConflictException.class, () -> service.invite(owner, "friend@example.com"),
                "in the group now: taken, as any account");
        assertEquals(2, trail.size());
    }

    /**
     * AdminCreateUser made the account but its answer was lost; the SDK's retry is refused with
     * UsernameExistsException. The account is in no group: the invitation finishes it now, rather
     * than answering "already has an account" about the owner's own invitation.
     */
    @Test
    void anInvitationWhoseCreationAnswerWasLostFinishesWithTheGroupInsteadOfTaken() {
        directory.createdButAnswerLost = true;

        StaffMember invited = service.invite(owner, "friend@example.com");

        assertEquals("friend@example.com", invited.username());
        assertEquals(List.of("staff"), directory.groupsOf("friend@example.com"));
        assertEquals(List.of("STAFF#friend@example.com staff.invite_requested",
                "STAFF#friend@example.com staff.invite_failed", "STAFF#" + invited.subject() + " staff.invite_requested",
                "STAFF#" + invited.subject() + " staff.invited"), lines());
    }

    @Test
    void disablingRecordsItsRequestThenItsOutcomeOnceAndNeverTouchesAnOwner() {
        assertFalse(service.disable(owner, "staff@example.com").enabled());
        service.disable(owner, "staff@example.com");
        assertEquals(List.of("STAFF#sub-staff staff.disable_requested", "STAFF#sub-staff staff.disabled"), lines());
        assertEquals("{\"enabled\":false}", trail.get(0).after());
        assertEquals(List.of("disable staff@example.com"), directory.calls);
        assertThrows(NotFoundException.class, () -> service.disable(owner, "owner@example.com"));
        assertThrows(NotFoundException.class, () -> service.disable(owner, "nobody@example.com"));
        assertThrows(NotFoundException.class, () -> service.disable(owner, "x".repeat(129)));
        assertTrue(directory.find("owner@example.com").orElseThrow().enabled());
    }

    @Test
    void enablingADisabledAccountRecordsItsRequestThenItsOutcomeAndASecondPressNothing() {
        service.disable(owner, "staff@example.com");
        trail.clear();
        StaffMember enabled = service.enable(owner, "staff@example.com");
        assertTrue(enabled.enabled());
        assertTrue(directory.find("staff@example.com").orElseThrow().enabled());
        assertEquals(List.of("STAFF#sub-staff staff.enable_requested", "STAFF#sub-staff staff.enabled"), lines());
        assertEquals("{\"enabled\":false}", trail.get(1).before());
        assertEquals("{\"enabled\":true}", trail.get(1).after());
        assertEquals("owner@example.com", trail.get(1).actorName());

        assertTrue(service.enable(owner, "staff@example.com").enabled(), "enabled already: 200 as it is");
        assertEquals(2, trail.size(), "nothing recorded for a press that changed nothing");
        assertEquals(List.of("disable staff@example.com", "enable staff@example.com"), directory.calls);
    }

    @Test
    void anOwnerOrAnUnknownNameIsNotEnabledOrResentFromHere() {
        directory.add(new StaffMember("partner@example.com", "sub-partner", "FORCE_CHANGE_PASSWORD", false), "owners");
        assertThrows(NotFoundException.class, () -> service.enable(owner, "partner@example.com"));
        assertThrows(NotFoundException.class, () -> service.resendInvitation(owner, "partner@example.com"));
        assertThrows(NotFoundException.class, () -> service.enable(owner, "nobody@example.com"));
        assertThrows(NotFoundException.class, () -> service.resendInvitation(owner, "nobody@example.com"));
        assertThrows(NotFoundException.class, () -> service.enable(owner, "x".repeat(129)));
        assertThrows(NotFoundException.class, () -> service.resendInvitation(owner, "a\r\nb@example.com"));
        assertFalse(directory.find("partner@example.com").orElseThrow().enabled());
        assertEquals(List.of(), directory.calls);
        assertTrue(trail.isEmpty());
    }

    @Test
    void anInvitationIsResentOnlyToAnEnabledAccountThatNeverSignedIn() {
        directory.add(new StaffMember("new@example.com", "sub-new", "FORCE_CHANGE_PASSWORD", true), "staff");
        directory.add(new StaffMember("away@example.com", "sub-away", "FORCE_CHANGE_PASSWORD", false), "staff");

        var signedIn = assertThrows(ConflictException.class, () -> service.resendInvitation(owner, "staff@example.com"));
        assertTrue(signedIn.getMessage().contains("signed in already"), signedIn.getMessage());
        var disabled = assertThrows(ConflictException.class, () -> service.resendInvitation(owner, "away@example.com"));
        assertTrue(disabled.getMessage().contains("enable it first"), disabled.getMessage());
        assertTrue(trail.isEmpty());
        assertEquals(List.of(), directory.calls);

        assertEquals("new@example.com", service.resendInvitation(owner, "new@example.com").username());
        assertEquals(List.of("resend new@example.com"), directory.calls);
        assertEquals(List.of("STAFF#sub-new staff.invitation_resend_requested", "STAFF#sub-new staff.invitation_resent"),
                lines());
        assertNull(trail.get(1).before());
        assertEquals("{\"status\":\"FORCE_CHANGE_PASSWORD\"}", trail.get(1).after());
    }

    @Test
    void aSecondResendWithinFiveMinutesIs409WithoutAMailAndLaterGoesOut() {
        directory.add(new StaffMember("new@example.com", "sub-new", "FORCE_CHANGE_PASSWORD", true), "staff");
        service.resendInvitation(owner, "new@example.com");
        clock.advance(Duration.ofMinutes(4));
        var again = assertThrows(ConflictException.class, () -> service.resendInvitation(owner, "new@example.com"));
        assertTrue(again.getMessage().contains("2026-12-04T10:00:00Z"), again.getMessage());
        assertEquals(1, directory.calls.size());
        assertEquals(2, trail.size());

        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        service.resendInvitation(owner, "new@example.com");
        assertEquals(2, directory.calls.size());
        assertEquals(4, trail.size());
    }

    @Test
    void aResendThePoolRefusesBecauseTheAccountSignedInMeanwhileIs409WithItsRequestAndFailure() {
        directory.add(new StaffMember("new@example.com", "sub-new", "FORCE_CHANGE_PASSWORD", true), "staff");
        directory.failure = new StaffDirectory.NotInvited("AdminCreateUser", "UnsupportedUserStateException", null);
        assertThrows(ConflictException.class, () -> service.resendInvitation(owner, "new@example.com"));
        assertEquals(List.of("STAFF#sub-new staff.invitation_resend_requested",
                "STAFF#sub-new staff.invitation_resend_failed"), lines());
        assertEquals("{\"call\":\"AdminCreateUser\",\"error\":\"UnsupportedUserStateException\"}",
                trail.get(1).after());
    }

    /** The pool fails each change: the request's line is there, then the failure's, nothing else, nothing changed. */
    @Test
    void aDirectoryThatFailsLeavesTheRequestedLineAndTheFailedLineAndNothingElse() {
        directory.add(new StaffMember("away@example.com", "sub-away", "CONFIRMED", false), "staff");
        directory.add(new StaffMember("new@example.com", "sub-new", "FORCE_CHANGE_PASSWORD", true), "staff");
        var throttled = new StaffDirectory.Failed("AdminDisableUser", "TooManyRequestsException", null);
        directory.failure = throttled;

        assertSame(throttled, assertThrows(StaffDirectory.Failed.class,
                () -> service.disable(owner, "staff@example.com")));
        assertSame(throttled, assertThrows(StaffDirectory.Failed.class,
                () -> service.enable(owner, "away@example.com")));
        assertSame(throttled, assertThrows(StaffDirectory.Failed.class,
                () -> service.resendInvitation(owner, "new@example.com")));
        assertSame(throttled, assertThrows(StaffDirectory.Failed.class,
                () -> service.invite(owner, "friend@example.com")));

        assertEquals(List.of(
                "STAFF#sub-staff staff.disable_requested", "STAFF#sub-staff staff.disable_failed",
                "STAFF#sub-away staff.enable_requested", "STAFF#sub-away staff.enable_failed",
                "STAFF#sub-new staff.invitation_resend_requested", "STAFF#sub-new staff.invitation_resend_failed",
                "STAFF#friend@example.com staff.invite_requested", "STAFF#friend@example.com staff.invite_failed"),
                lines());
        trail.stream().filter(l -> l.action().endsWith("_failed")).forEach(l -> assertEquals(
                "{\"call\":\"AdminDisableUser\",\"error\":\"TooManyRequestsException\"}", l.after()));
        assertTrue(directory.find("staff@example.com").orElseThrow().enabled());
        assertFalse(directory.find("away@example.com").orElseThrow().enabled());
        assertTrue(directory.find("friend@example.com").isEmpty());
    }

    @Test
    void aFailureThatIsNoPoolErrorIsRecordedByItsKind() {
        directory.failure = new IllegalStateException("a bug");
        assertThrows(IllegalStateException.class, () -> service.disable(owner, "staff@example.com"));
        assertEquals("staff.disable_failed", trail.get(1).action());
        assertEquals("{\"error\":\"IllegalStateException\"}", trail.get(1).after());
    }

    @Test
    void whenTheRequestCannotBeRecordedTheAccountIsNotTouched() {
        trailFailure = new IllegalStateException("DynamoDB unreachable");
        assertThrows(IllegalStateException.class, () -> service.disable(owner, "staff@example.com"));
        assertThrows(IllegalStateException.class, () -> service.invite(owner, "friend@example.com"));
        assertEquals(List.of(), directory.calls);
        assertTrue(directory.find("staff@example.com").orElseThrow().enabled());
        assertTrue(directory.find("friend@example.com").isEmpty());
    }

    @Test
    void aFailedLineThatCannotBeWrittenLeavesThePoolsFailureAsTheAnswer() {
        var throttled = new StaffDirectory.Failed("AdminDisableUser", "TooManyRequestsException", null);
        directory.failure = throttled;
        directory.onCall = () -> trailFailure = new IllegalStateException("DynamoDB unreachable");
        var thrown = assertThrows(StaffDirectory.Failed.class, () -> service.disable(owner, "staff@example.com"));
        assertSame(throttled, thrown);
        assertEquals("DynamoDB unreachable", thrown.getSuppressed()[0].getMessage());
        assertEquals(List.of("STAFF#sub-staff staff.disable_requested"), lines());
    }

    private List<String> lines() {
        return trail.stream().map(a -> a.subject() + " " + a.action()).toList();
    }

    /** The user pool, in memory: accounts found by address or by sub, as Cognito finds them. */
    private static final class Directory implements StaffDirectory {
        final Map<String, StaffMember> members = new LinkedHashMap<>();
        final Map<String, String> groups = new LinkedHashMap<>();
        /** The changing calls made, in order. */
        final List<String> calls = new ArrayList<>();
        /** Thrown by every changing call, the account unchanged, when set. */
        RuntimeException failure;
        /** Thrown by the group's call only (an invitation's account made, its group not), when set. */
        RuntimeException groupFailure;
        /** The invitation's account is made, in no group, and the call fails as the SDK's retry of it would. */
        boolean createdButAnswerLost;
        /** Run at each changing call, before it answers. */
        Runnable onCall = () -> { };

        private void call(String call, String username) {
            onCall.run();
            if (failure != null) {
                throw failure;
            }
            calls.add(call + " " + username);
        }

        void add(StaffMember member, String group) {
            members.put(member.username(), member);
            groups.put(member.username(), group);
        }

        private Optional<String> key(String username) {
            return members.values().stream().filter(m -> m.username().equals(username) || m.subject().equals(username))
                    .map(StaffMember::username).findFirst();
        }

        @Override
        public Optional<StaffMember> find(String username) {
            return key(username).map(members::get);
        }

        @Override
        public List<String> groupsOf(String username) {
            return key(username).map(groups::get).map(List::of).orElse(List.of());
        }

        @Override
        public List<StaffMember> inGroup(String group) {
            return members.values().stream().filter(m -> group.equals(groups.get(m.username()))).toList();
        }

        @Override
        public StaffMember invite(String email, String group) {
            call("invite", email);
            if (members.containsKey(email)) {
                throw new AlreadyExists();
            }
            StaffMember member = new StaffMember(email, "sub-" + members.size(), "FORCE_CHANGE_PASSWORD", true);
            members.put(email, member);
            if (createdButAnswerLost) {
                throw new AlreadyExists();
            }
            addToGroup(email, group);
            return member;
        }

        @Override
        public void addToGroup(String username, String group) {
            if (groupFailure != null) {
                throw groupFailure;
            }
            call("addToGroup", username);
            groups.put(key(username).orElseThrow(), group);
        }

        @Override
        public void disable(String username) {
            call("disable", username);
            StaffMember m = members.get(username);
            members.put(username, new StaffMember(m.username(), m.subject(), m.status(), false));
        }

        @Override
        public void enable(String username) {
            call("enable", username);
            StaffMember m = members.get(username);
            members.put(username, new StaffMember(m.username(), m.subject(), m.status(), true));
        }

        @Override
        public StaffMember resendInvitation(String username) {
            call("resend", username);
            return members.get(username);
        }
    }
}
