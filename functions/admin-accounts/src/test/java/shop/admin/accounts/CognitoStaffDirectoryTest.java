package shop.admin.accounts;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.core.aws.AwsClients;
import shop.core.config.Env;
import shop.local.stack.FaultProxy;
import shop.local.stack.FaultProxy.Fault;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.Service;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;

/**
 * The directory on the user pool template.yaml makes, on the local Cognito (moto, with RESEND
 * as AWS does it: local/moto_server.py): enabling, and resending an invitation.
 */
@ExtendWith(LocalAwsExtension.class)
class CognitoStaffDirectoryTest {
    private LocalAws aws;
    private CognitoIdentityProviderClient cognito;
    private String pool;
    private CognitoStaffDirectory directory;
    private String email;

    @BeforeEach
    void setUp(LocalAws localAws) {
        aws = localAws;
        cognito = aws.cognito();
        pool = aws.functionEnvironment("AdminAccountsFunction", Map.of()).get("ADMIN_USER_POOL_ID");
        directory = new CognitoStaffDirectory(cognito, pool);
        email = "directory-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    @Test
    void aDisabledAccountIsEnabledWithItsOwnPasswordAgain() {
        directory.invite(email, "staff");
        cognito.adminSetUserPassword(b -> b.userPoolId(pool).username(email).password("Own-Passw0rd-123!").permanent(true));
        directory.disable(email);
        assertFalse(directory.find(email).orElseThrow().enabled());
        assertThrows(NotAuthorizedException.class, () -> signIn(email, "Own-Passw0rd-123!"));

        directory.enable(email);

        StaffMember member = directory.find(email).orElseThrow();
        assertTrue(member.enabled());
        assertEquals("CONFIRMED", member.status());
        assertDoesNotThrow(() -> signIn(email, "Own-Passw0rd-123!"), "its own password is accepted again");
    }

    /**
     * The sign-out failing (Cognito throttling, say) leaves the account enabled, so the owner's next
     * press of Disable does both; the other way round it would be disabled and never signed out.
     */
    @Test
    void aDisableWhoseSignOutFailsLeavesTheAccountEnabledForTheNextPress() {
        directory.invite(email, "staff");
        try (FaultProxy proxy = FaultProxy.start(aws.endpoint(Service.COGNITO_IDP))) {
            Map<String, String> env = new HashMap<>(aws.functionEnvironment("AdminAccountsFunction", Map.of()));
            env.put("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", proxy.uri().toString());
            var throughProxy = new CognitoStaffDirectory(new AwsClients(Env.of(env))
                    .build(CognitoIdentityProviderClient.builder(), "COGNITO_IDENTITY_PROVIDER"), pool);
            var down = proxy.injectAlways(call -> call.target().equals("AdminUserGlobalSignOut"),
                    Fault.SERVICE_UNAVAILABLE);

            StaffDirectory.Failed failed = assertThrows(StaffDirectory.Failed.class, () -> throughProxy.disable(email));

            assertEquals("AdminUserGlobalSignOut", failed.call());
            assertTrue(directory.find(email).orElseThrow().enabled(), "not disabled without its sign-out");
            down.stop();
            throughProxy.disable(email);
            assertFalse(directory.find(email).orElseThrow().enabled());
        }
    }

    /** The pool failing between the account and its group: the account is in no group, and addToGroup finishes it. */
    @Test
    void anInvitationWhoseGroupFailedLeavesTheAccountInNoGroupUntilAddToGroupFinishesIt() {
        try (FaultProxy proxy = FaultProxy.start(aws.endpoint(Service.COGNITO_IDP))) {
            Map<String, String> env = new HashMap<>(aws.functionEnvironment("AdminAccountsFunction", Map.of()));
            env.put("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", proxy.uri().toString());
            var throughProxy = new CognitoStaffDirectory(new AwsClients(Env.of(env))
                    .build(CognitoIdentityProviderClient.builder(), "COGNITO_IDENTITY_PROVIDER"), pool);
            var down = proxy.injectAlways(call -> call.target().equals("AdminAddUserToGroup"),
                    Fault.SERVICE_UNAVAILABLE);

            StaffDirectory.Failed failed = assertThrows(StaffDirectory.Failed.class,
                    () -> throughProxy.invite(email, "staff"));

            assertEquals("AdminAddUserToGroup", failed.call());
            StaffMember made = directory.find(email).orElseThrow();
            assertEquals(List.of(), directory.groupsOf(email));
            down.stop();
            throughProxy.addToGroup(email, "staff");
            assertEquals(List.of("staff"), directory.groupsOf(email));
            assertEquals(made.subject(), directory.find(email).orElseThrow().subject(), "the same account");
        }
    }

    @Test
    void aResentInvitationReplacesTheTemporaryPasswordOfTheSameAccount() {
        StaffMember invited = directory.invite(email, "staff");
        cognito.adminSetUserPassword(b -> b.userPoolId(pool).username(email).password("First-Temp-Passw0rd!")
                .permanent(false));
        assertEquals(ChallengeNameType.NEW_PASSWORD_REQUIRED, signIn(email, "First-Temp-Passw0rd!").challengeName());

        StaffMember resent = directory.resendInvitation(email);

        assertEquals(invited.subject(), resent.subject(), "the same account, not a second one");
        assertEquals(email, resent.username());
        assertEquals("FORCE_CHANGE_PASSWORD", resent.status());
        assertEquals(List.of(invited.subject()), cognito.listUsers(b -> b.userPoolId(pool)
                .filter("email = \"" + email + "\"")).users().stream()
                .map(u -> u.attributes().stream().filter(a -> a.name().equals("sub")).findFirst().orElseThrow().value())
                .toList());
        assertEquals(List.of("staff"), directory.groupsOf(email));
        assertThrows(NotAuthorizedException.class, () -> signIn(email, "First-Temp-Passw0rd!"),
                "the temporary password mailed before no longer works");
    }

    @Test
    void anAccountThatSignedInIsNotSentAnInvitationAgain() {
        directory.invite(email, "staff");
        cognito.adminSetUserPassword(b -> b.userPoolId(pool).username(email).password("Own-Passw0rd-123!").permanent(true));

        var refused = assertThrows(StaffDirectory.NotInvited.class, () -> directory.resendInvitation(email));

        assertEquals("UnsupportedUserStateException", refused.code());
        assertEquals("AdminCreateUser", refused.call());
        assertDoesNotThrow(() -> signIn(email, "Own-Passw0rd-123!"), "its password is untouched");
        assertEquals("CONFIRMED", directory.find(email).orElseThrow().status());
    }

    @Test
    void aChangeToAnAccountNoOneHasFailsWithThePoolsErrorCode() {
        var enable = assertThrows(StaffDirectory.Failed.class, () -> directory.enable(email));
        assertEquals("AdminEnableUser", enable.call());
        assertEquals("UserNotFoundException", enable.code());
        var resend = assertThrows(StaffDirectory.Failed.class, () -> directory.resendInvitation(email));
        assertFalse(resend instanceof StaffDirectory.NotInvited);
        assertEquals("UserNotFoundException", resend.code());
        assertTrue(directory.find(email).isEmpty(), "a resend makes no account");
    }

    private software.amazon.awssdk.services.cognitoidentityprovider.model.InitiateAuthResponse signIn(String username,
                                                                                                       String password) {
        return cognito.initiateAuth(b -> b.clientId(aws.admins().clientId()).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", username, "PASSWORD", password)));
    }
}
