package shop.admin.accounts;

import java.time.Clock;
import shop.core.aws.AwsClients;
import shop.core.config.Env;
import shop.core.dynamo.DynamoAuditTrail;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

/** Wires the accounts service to the user pool and the audit trail, from the variables template.yaml sets. */
final class AdminAccountsDependencies {
    private AdminAccountsDependencies() {
    }

    static AdminAccountsService fromEnvironment(Env env) {
        AwsClients clients = new AwsClients(env);
        CognitoIdentityProviderClient cognito = clients.build(CognitoIdentityProviderClient.builder(),
                "COGNITO_IDENTITY_PROVIDER");
        return new AdminAccountsService(new CognitoStaffDirectory(cognito, env.require("ADMIN_USER_POOL_ID")),
                new DynamoAuditTrail(clients.dynamo(), env.require("ADMIN_AUDIT_TABLE"), Clock.systemUTC()),
                Clock.systemUTC());
    }
}
