package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.core.admin.AdminAction;
import shop.core.dynamo.DynamoAuditTrail;
import shop.local.stack.LocalAdmins;
import shop.local.stack.LocalAws;
import shop.local.stack.Totp;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GroupType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;

/**
 * The owner's staff management through the local API server and the local Cognito: invite,
 * the invited person's first sign-in (new password, then an authenticator) and their staff
 * rights, disabling (no more sign-in or refresh), enabling (signing in again), resending an
 * invitation (only before the first sign-in), each recorded in the audit trail as requested,
 * then done.
 */
@ExtendWith(RunningShopExtension.class)
class StaffManagementEndToEndTest {
    @ShopFixture private static LocalAws aws;
    @ShopFixture private static RunningShop running;
    @ShopFixture private static ShopClient shop;
    private static String ownerToken;

    @BeforeAll
    static void start() {
        ownerToken = running.adminToken(LocalAdmins.OWNER.username());
    }

    @Test
    void anInvitedPersonSetsAPasswordAndAnAuthenticatorGetsStaffRightsAndIsDisabledLater() throws Exception {
        String email = "new-staff-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        HttpResponse<String> invited = shop.admin("POST", "/admin/staff", ownerToken, "{\"email\":\"" + email + "\"}");
        assertEquals(201, invited.statusCode(), invited.body());
        var member = ShopClient.json(invited);
        assertEquals(email, member.get("username").asText());
        assertEquals("FORCE_CHANGE_PASSWORD", member.get("status").asText());
        String sub = member.get("subject").asText();
        assertEquals(List.of("staff"), groups(email));
        assertTrue(shop.admin("/admin/staff", ownerToken).body().contains(email));

        List<AdminAction> trail = audit().of("STAFF#" + sub);
        assertEquals(1, trail.size());
        assertEquals("staff.invited", trail.get(0).action());
        assertEquals(LocalAdmins.OWNER.username(), trail.get(0).actorName());
        assertEquals(List.of("staff.invite_requested"), actions("STAFF#" + email),
                "the request, under the address: the account had no sub before");

        // What the person does with the mailed temporary password (set here: moto mails nothing).
        LocalAdmins admins = running.admins();
        var cognito = admins.cognito();
        cognito.adminSetUserPassword(b -> b.userPoolId(admins.poolId()).username(email)
                .password("Temporary-Passw0rd!").permanent(false));
        var first = cognito.initiateAuth(b -> b.clientId(admins.clientId()).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", email, "PASSWORD", "Temporary-Passw0rd!")));
        assertEquals(ChallengeNameType.NEW_PASSWORD_REQUIRED, first.challengeName());
        var newPassword = cognito.respondToAuthChallenge(b -> b.clientId(admins.clientId())
                .challengeName(ChallengeNameType.NEW_PASSWORD_REQUIRED).session(first.session())
                .challengeResponses(Map.of("USERNAME", email, "NEW_PASSWORD", "My-Own-Passw0rd-123!")));
        assertEquals(ChallengeNameType.MFA_SETUP, newPassword.challengeName(), "MFA is required: an authenticator next");
        var associated = cognito.associateSoftwareToken(b -> b.session(newPassword.session()));
        var verified = cognito.verifySoftwareToken(b -> b.session(associated.session())
                .userCode(Totp.freshCode(associated.secretCode())));
        var tokens = cognito.respondToAuthChallenge(b -> b.clientId(admins.clientId())
                .challengeName(ChallengeNameType.MFA_SETUP).session(verified.session())
                .challengeResponses(Map.of("USERNAME", email))).authenticationResult();

        HttpResponse<String> me = shop.admin("/admin/me", tokens.accessToken());
        assertEquals(200, me.statusCode(), me.body());
        assertEquals(email, ShopClient.json(me).get("username").asText());
        assertEquals(403, shop.admin("/admin/staff", tokens.accessToken()).statusCode(), "staff, not owners");

        HttpResponse<String> disabled = shop.admin("DELETE", "/admin/staff/" + email, ownerToken, null);
        assertEquals(200, disabled.statusCode(), disabled.body());
        assertFalse(ShopClient.json(disabled).get("enabled").asBoolean());
        assertThrows(NotAuthorizedException.class, () -> cognito.initiateAuth(b -> b.clientId(admins.clientId())
                .authFlow(AuthFlowType.REFRESH_TOKEN_AUTH).authParameters(Map.of("REFRESH_TOKEN", tokens.refreshToken()))),
                "signed out everywhere: the refresh token is dead");
        assertThrows(NotAuthorizedException.class, () -> cognito.initiateAuth(b -> b.clientId(admins.clientId())
                .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", email, "PASSWORD", "My-Own-Passw0rd-123!"))), "disabled");

        assertEquals(200, shop.admin("DELETE", "/admin/staff/" + email, ownerToken, null).statusCode(),
                "disabling twice is no error");
        assertFalse(listed(email).get("enabled").asBoolean(), "the list shows it disabled");

        // The seasonal worker comes back: enabled, they sign in with their own password and authenticator.
        HttpResponse<String> enabled = shop.admin("POST", "/admin/staff/" + email + "/enable", ownerToken, null);
        assertEquals(200, enabled.statusCode(), enabled.body());
        assertTrue(ShopClient.json(enabled).get("enabled").asBoolean());
        assertTrue(listed(email).get("enabled").asBoolean(), "the list shows it enabled");
        var again = cognito.initiateAuth(b -> b.clientId(admins.clientId()).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", email, "PASSWORD", "My-Own-Passw0rd-123!")));
        assertEquals(ChallengeNameType.SOFTWARE_TOKEN_MFA, again.challengeName(), "password accepted, code next");
        assertEquals(200, shop.admin("POST", "/admin/staff/" + email + "/enable", ownerToken, null).statusCode(),
                "enabling twice is no error");

        HttpResponse<String> resend = shop.admin("POST", "/admin/staff/" + email + "/invitation", ownerToken, null);
        assertEquals(409, resend.statusCode(), resend.body());
        assertTrue(resend.body().contains("has signed in already"), resend.body());

        assertEquals(List.of("staff.invited", "staff.disable_requested", "staff.disabled", "staff.enable_requested",
                "staff.enabled"), actions("STAFF#" + sub), "requested, then done; once each; nothing for the 409");
    }

    @Test
    void anInvitationIsResentToSomeoneWhoNeverSignedInWithANewTemporaryPassword() throws Exception {
        String email = "resent-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        HttpResponse<String> invited = shop.admin("POST", "/admin/staff", ownerToken, "{\"email\":\"" + email + "\"}");
        assertEquals(201, invited.statusCode(), invited.body());
        String sub = ShopClient.json(invited).get("subject").asText();
        assertEquals("FORCE_CHANGE_PASSWORD", listed(email).get("status").asText(), "the list shows: never signed in");
        // The temporary password the first mail carried (set here: moto mails nothing).
        LocalAdmins admins = running.admins();
        admins.cognito().adminSetUserPassword(b -> b.userPoolId(admins.poolId()).username(email)
                .password("Lost-Temp-Passw0rd!").permanent(false));

        HttpResponse<String> resent = shop.admin("POST", "/admin/staff/" + email + "/invitation", ownerToken, null);

        assertEquals(200, resent.statusCode(), resent.body());
        assertEquals(sub, ShopClient.json(resent).get("subject").asText(), "the same account");
        assertEquals("FORCE_CHANGE_PASSWORD", listed(email).get("status").asText());
        assertThrows(NotAuthorizedException.class, () -> admins.cognito().initiateAuth(b -> b.clientId(admins.clientId())
                .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", email, "PASSWORD", "Lost-Temp-Passw0rd!"))),
                "Cognito made a new temporary password: the lost one no longer works");
        assertEquals(List.of("staff.invited", "staff.invitation_resend_requested", "staff.invitation_resent"),
                actions("STAFF#" + sub));

        HttpResponse<String> twice = shop.admin("POST", "/admin/staff/" + email + "/invitation", ownerToken, null);
        assertEquals(409, twice.statusCode(), "a second press would replace the password just mailed: " + twice.body());
        assertEquals(3, actions("STAFF#" + sub).size());
    }

    @Test
    void staffAreRefusedEnablingAndResendingAndNothingChanges() throws Exception {
        String staffToken = running.adminToken(LocalAdmins.STAFF.username());
        String email = "refused-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        HttpResponse<String> invited = shop.admin("POST", "/admin/staff", ownerToken, "{\"email\":\"" + email + "\"}");
        String sub = ShopClient.json(invited).get("subject").asText();
        assertEquals(200, shop.admin("DELETE", "/admin/staff/" + email, ownerToken, null).statusCode());

        for (String action : List.of("enable", "invitation")) {
            HttpResponse<String> refused = shop.admin("POST", "/admin/staff/" + email + "/" + action, staffToken, null);
            assertEquals(403, refused.statusCode(), action + ": " + refused.body());
        }
        assertFalse(listed(email).get("enabled").asBoolean(), "still disabled");
        assertEquals(List.of("staff.invited", "staff.disable_requested", "staff.disabled"), actions("STAFF#" + sub));
    }

    private static com.fasterxml.jackson.databind.JsonNode listed(String email) throws Exception {
        HttpResponse<String> list = shop.admin("/admin/staff", ownerToken);
        assertEquals(200, list.statusCode(), list.body());
        for (var member : ShopClient.json(list).get("staff")) {
            if (member.get("username").asText().equals(email)) {
                return member;
            }
        }
        throw new AssertionError(email + " is not in the staff list: " + list.body());
    }

    private static List<String> actions(String subject) {
        return audit().of(subject).stream().map(AdminAction::action).toList();
    }

    private static DynamoAuditTrail audit() {
        return new DynamoAuditTrail(aws.dynamo(), aws.physicalName("AdminAuditTable"), Clock.systemUTC());
    }

    private static List<String> groups(String username) {
        return aws.cognito().adminListGroupsForUser(b -> b.userPoolId(aws.admins().poolId()).username(username))
                .groups().stream().map(GroupType::groupName).toList();
    }
}
