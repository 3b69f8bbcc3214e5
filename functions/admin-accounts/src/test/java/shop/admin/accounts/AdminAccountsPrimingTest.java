package shop.admin.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.core.dynamo.DynamoAuditTrail;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;

/**
 * SnapStart priming against the user pool and the audit table as template.yaml makes them: every
 * call goes through (a refused one would make prime() throw) and nothing changes: no account is
 * made, no one is disabled or signed out, no line is written.
 */
@ExtendWith(LocalAwsExtension.class)
class AdminAccountsPrimingTest {

    @Test
    void snapStartPrimingChangesNothing(LocalAws aws) {
        var environment = aws.functionEnvironment("AdminAccountsFunction", Map.of());
        String pool = environment.get("ADMIN_USER_POOL_ID");
        var staffBefore = aws.cognito().listUsersInGroup(b -> b.userPoolId(pool).groupName("staff")).users();

        new AdminAccountsHandler(environment).prime();

        assertEquals(staffBefore, aws.cognito().listUsersInGroup(b -> b.userPoolId(pool).groupName("staff")).users());
        try {
            aws.cognito().adminGetUser(b -> b.userPoolId(pool).username(AdminAccountsHandler.NOBODY));
            throw new AssertionError("priming made an account");
        } catch (UserNotFoundException expected) {
            // no account
        }
        var trail = new DynamoAuditTrail(aws.dynamo(), aws.physicalName("AdminAuditTable"), Clock.systemUTC());
        assertEquals(List.of(), trail.of("PRIMING#never-recorded"));
        assertEquals(List.of(), trail.of("STAFF#" + AdminAccountsHandler.NOBODY));
    }
}
