package shop.admin.accounts;

import java.time.Clock;
import shop.core.aws.AwsClients;
import shop.core.config.Env;
import shop.core.dynamo.DynamoAuditTrail;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

/**
 * Wires the accounts service to the user pool and the audit trail, from the variables
 * template.yaml sets, and the SnapStart priming of those adapters.
 */
record AdminAccountsDependencies(AdminAccountsService service, Runnable primeAdapters) {

    static AdminAccountsDependencies fromEnvironment(Env env) {
        AwsClients clients = new AwsClients(env);
        CognitoIdentityProviderClient cognito = clients.build(CognitoIdentityProviderClient.builder(),
                "COGNITO_IDENTITY_PROVIDER");
        var directory = new CognitoStaffDirectory(cognito, env.require("ADMIN_USER_POOL_ID"));
        var trail = new DynamoAuditTrail(clients.dynamo(), env.require("ADMIN_AUDIT_TABLE"), Clock.systemUTC());
        return new AdminAccountsDependencies(new AdminAccountsService(directory, trail, Clock.systemUTC()), () -> {
            directory.prime(AdminAccountsHandler.NOBODY);
            trail.prime();
        });
    }
}
