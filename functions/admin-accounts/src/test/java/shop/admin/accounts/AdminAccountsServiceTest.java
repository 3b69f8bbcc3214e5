package shop.admin.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
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

class AdminAccountsServiceTest {
    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    private final Directory directory = new Directory();
    private final List<AdminAction> trail = new ArrayList<>();
    private final AdminAccountsService service = new AdminAccountsService(directory, new AuditTrail() {
        @Override
        public void record(AdminAction action) {
            trail.add(action);
        }

        @Override
        public List<AdminAction> of(String subject) {
            return trail.stream().filter(a -> a.subject().equals(subject)).toList();
        }
    }, Clock.fixed(NOW, ZoneOffset.UTC));

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
    void staffMayNotListInviteOrDisableAndNothingIsRecorded() {
        assertThrows(ForbiddenException.class, () -> service.staff(staff));
        assertThrows(ForbiddenException.class, () -> service.invite(staff, "friend@example.com"));
        assertThrows(ForbiddenException.class, () -> service.disable(staff, "staff@example.com"));
        assertTrue(trail.isEmpty());
        assertEquals(2, directory.members.size());
    }

    @Test
    void anInvitationIsRecordedWithWhoAndWhen() {
        StaffMember invited = service.invite(owner, "friend@example.com");
        assertEquals(List.of("staff"), directory.groupsOf("friend@example.com"));
        AdminAction line = trail.get(0);
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
    void disablingRecordsOnceAndNeverTouchesAnOwner() {
        assertFalse(service.disable(owner, "staff@example.com").enabled());
        service.disable(owner, "staff@example.com");
        assertEquals(List.of("staff.disabled"), trail.stream().map(AdminAction::action).toList());
        assertThrows(NotFoundException.class, () -> service.disable(owner, "owner@example.com"));
        assertThrows(NotFoundException.class, () -> service.disable(owner, "nobody@example.com"));
        assertThrows(NotFoundException.class, () -> service.disable(owner, "x".repeat(129)));
        assertTrue(directory.find("owner@example.com").orElseThrow().enabled());
    }

    /** The user pool, in memory: accounts found by address or by sub, as Cognito finds them. */
    private static final class Directory implements StaffDirectory {
        final Map<String, StaffMember> members = new LinkedHashMap<>();
        final Map<String, String> groups = new LinkedHashMap<>();

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
            return key(username).map(k -> List.of(groups.get(k))).orElse(List.of());
        }

        @Override
        public List<StaffMember> inGroup(String group) {
            return members.values().stream().filter(m -> groups.get(m.username()).equals(group)).toList();
        }

        @Override
        public StaffMember invite(String email, String group) {
            if (members.containsKey(email)) {
                throw new AlreadyExists();
            }
            StaffMember member = new StaffMember(email, "sub-" + members.size(), "FORCE_CHANGE_PASSWORD", true);
            add(member, group);
            return member;
        }

        @Override
        public void disable(String username) {
            StaffMember m = members.get(username);
            members.put(username, new StaffMember(m.username(), m.subject(), m.status(), false));
        }
    }
}
