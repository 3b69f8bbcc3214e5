package shop.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CodeMismatchException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GroupType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolType;

/** The template's user pool on the local Cognito, and the local owner and staff signing in as on AWS. */
@ExtendWith(LocalAwsExtension.class)
class LocalAdminsTest {

    private final LocalAws aws;

    LocalAdminsTest(LocalAws aws) {
        this.aws = aws;
    }

    @Test
    void refToThePoolAndClientGivesTheIdsTheServiceChose() {
        LocalAdmins admins = aws.admins();
        assertEquals(admins.poolId(), aws.physicalName("AdminUserPool"));
        assertEquals(admins.clientId(), aws.physicalName("AdminUserPoolClient"));
        assertNotEquals("AdminUserPool", admins.poolId());
        String issuer = aws.resolver(aws.template(), Map.of()).resolveString(
                Map.of("Fn::Sub", "https://cognito-idp.${AWS::Region}.amazonaws.com/${AdminUserPool}"));
        assertEquals(admins.issuer(), issuer);
    }

    @Test
    void thePoolHasTheTemplatesPasswordPolicyMfaAndGroups() {
        String pool = aws.admins().poolId();
        UserPoolType described = aws.cognito().describeUserPool(b -> b.userPoolId(pool)).userPool();
        assertEquals(14, described.policies().passwordPolicy().minimumLength());
        assertTrue(described.policies().passwordPolicy().requireSymbols());
        assertEquals("ON", aws.cognito().getUserPoolMfaConfig(b -> b.userPoolId(pool)).mfaConfigurationAsString());
        assertTrue(aws.cognito().getUserPoolMfaConfig(b -> b.userPoolId(pool)).softwareTokenMfaConfiguration().enabled());
        assertEquals(List.of("owners", "staff"), aws.cognito().listGroups(b -> b.userPoolId(pool)).groups().stream()
                .map(GroupType::groupName).sorted().toList());
        assertEquals(List.of("owners"), groups(LocalAdmins.OWNER.username()));
        assertEquals(List.of("staff"), groups(LocalAdmins.STAFF.username()));
    }

    @Test
    void signingInTakesThePasswordThenATotpCode() throws Exception {
        LocalAdmins admins = aws.admins();
        var first = aws.cognito().initiateAuth(b -> b.clientId(admins.clientId())
                .authFlow(AuthFlowType.USER_PASSWORD_AUTH).authParameters(Map.of(
                        "USERNAME", LocalAdmins.OWNER.username(), "PASSWORD", LocalAdmins.OWNER.password())));
        assertEquals(ChallengeNameType.SOFTWARE_TOKEN_MFA, first.challengeName(), "a password alone is not enough");

        String token = admins.signIn(LocalAdmins.OWNER.username()).accessToken();
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertTrue(payload.contains("\"iss\":\"" + admins.issuer() + "\""), payload);
        assertTrue(payload.contains("\"client_id\":\"" + admins.clientId() + "\""), payload);
        assertTrue(payload.contains("owners"), payload);
    }

    @Test
    void aWrongCodeOrPasswordIsRefused() {
        LocalAdmins admins = aws.admins();
        String otherSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        assertThrows(CodeMismatchException.class, () -> admins.signIn(admins.clientId(),
                LocalAdmins.STAFF.username(), LocalAdmins.STAFF.password(), otherSecret));
        assertThrows(NotAuthorizedException.class, () -> admins.signIn(admins.clientId(),
                LocalAdmins.STAFF.username(), "Wrong-Passw0rd-again!", admins.totpSecret(LocalAdmins.STAFF.username())));
    }

    private List<String> groups(String username) {
        return aws.cognito().adminListGroupsForUser(b -> b.userPoolId(aws.admins().poolId()).username(username))
                .groups().stream().map(GroupType::groupName).toList();
    }
}
