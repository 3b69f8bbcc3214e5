package shop.local.stack;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AccountRecoverySettingType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CreateUserPoolClientRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CreateUserPoolRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GroupExistsException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.MessageActionType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.PasswordPolicyType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.RecoveryOptionType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TokenValidityUnitsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientDescription;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolDescriptionType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UsernameExistsException;

/**
 * Creates a template's Cognito user pools, clients, groups, users and group memberships on the
 * local Cognito (moto), in CloudFormation's order: pools first, because the service chooses
 * their ids and everything else names them ({@code !Ref AdminUserPool}). Each id is handed to
 * {@code recordId} as soon as it exists, so the resolver answers it from then on. The MFA
 * setting is applied as CloudFormation does it: the pool, then SetUserPoolMfaConfig. A pool or
 * client of the same name that an earlier run made on a shared endpoint is reused.
 *
 * <p>Users are created without the invitation mail (MessageAction SUPPRESS): locally
 * {@link LocalAdmins} gives them a known password and authenticator instead.
 */
final class CognitoResources {

    private final IntrinsicResolver resolver;
    private final CognitoIdentityProviderClient cognito;
    private final BiConsumer<String, String> recordId;

    CognitoResources(IntrinsicResolver resolver, CognitoIdentityProviderClient cognito,
                     BiConsumer<String, String> recordId) {
        this.resolver = resolver;
        this.cognito = cognito;
        this.recordId = recordId;
    }

    void createAll() {
        CfnTemplate template = resolver.template();
        template.resourcesOfType(CfnTemplate.USER_POOL).forEach(r -> recordId.accept(r.logicalId(), createPool(r)));
        template.resourcesOfType(CfnTemplate.USER_POOL_CLIENT).forEach(r -> recordId.accept(r.logicalId(), createClient(r)));
        template.resourcesOfType(CfnTemplate.USER_POOL_GROUP).forEach(this::createGroup);
        template.resourcesOfType(CfnTemplate.USER_POOL_USER).forEach(this::createUser);
        template.resourcesOfType(CfnTemplate.USER_POOL_USER_TO_GROUP).forEach(this::addToGroup);
    }

    private String createPool(CfnTemplate.Resource resource) {
        Map<String, Object> props = props(resource);
        String name = str(props.getOrDefault("UserPoolName", resource.logicalId()));
        Optional<String> existing = cognito.listUserPoolsPaginator(b -> b.maxResults(60)).userPools().stream()
                .filter(p -> p.name().equals(name)).map(UserPoolDescriptionType::id).findFirst();
        String id = existing.orElseGet(() -> cognito.createUserPool(poolRequest(name, props)).userPool().id());
        String mfa = str(props.getOrDefault("MfaConfiguration", "OFF"));
        if (!mfa.equals("OFF")) {
            List<String> enabled = strings(props.get("EnabledMfas"));
            cognito.setUserPoolMfaConfig(b -> b.userPoolId(id).mfaConfiguration(mfa)
                    .softwareTokenMfaConfiguration(t -> t.enabled(enabled.contains("SOFTWARE_TOKEN_MFA"))));
        }
        return id;
    }

    private static CreateUserPoolRequest poolRequest(String name, Map<String, Object> props) {
        CreateUserPoolRequest.Builder request = CreateUserPoolRequest.builder().poolName(name);
        Map<String, Object> password = map(map(props.get("Policies")).get("PasswordPolicy"));
        if (!password.isEmpty()) {
            PasswordPolicyType.Builder policy = PasswordPolicyType.builder();
            Optional.ofNullable(password.get("MinimumLength")).ifPresent(v -> policy.minimumLength(integer(v)));
            Optional.ofNullable(password.get("RequireLowercase")).ifPresent(v -> policy.requireLowercase(bool(v)));
            Optional.ofNullable(password.get("RequireUppercase")).ifPresent(v -> policy.requireUppercase(bool(v)));
            Optional.ofNullable(password.get("RequireNumbers")).ifPresent(v -> policy.requireNumbers(bool(v)));
            Optional.ofNullable(password.get("RequireSymbols")).ifPresent(v -> policy.requireSymbols(bool(v)));
            Optional.ofNullable(password.get("TemporaryPasswordValidityDays"))
                    .ifPresent(v -> policy.temporaryPasswordValidityDays(integer(v)));
            request.policies(p -> p.passwordPolicy(policy.build()));
        }
        Map<String, Object> adminCreate = map(props.get("AdminCreateUserConfig"));
        if (adminCreate.containsKey("AllowAdminCreateUserOnly")) {
            request.adminCreateUserConfig(c -> c.allowAdminCreateUserOnly(bool(adminCreate.get("AllowAdminCreateUserOnly"))));
        }
        if (props.containsKey("UsernameAttributes")) {
            request.usernameAttributesWithStrings(strings(props.get("UsernameAttributes")));
        }
        if (props.containsKey("AutoVerifiedAttributes")) {
            request.autoVerifiedAttributesWithStrings(strings(props.get("AutoVerifiedAttributes")));
        }
        if (props.containsKey("DeletionProtection")) {
            request.deletionProtection(str(props.get("DeletionProtection")));
        }
        List<RecoveryOptionType> recovery = list(map(props.get("AccountRecoverySetting")).get("RecoveryMechanisms"))
                .stream().map(CognitoResources::map).map(m -> RecoveryOptionType.builder()
                        .name(str(m.get("Name"))).priority(integer(m.get("Priority"))).build()).toList();
        if (!recovery.isEmpty()) {
            request.accountRecoverySetting(AccountRecoverySettingType.builder().recoveryMechanisms(recovery).build());
        }
        return request.build();
    }

    private String createClient(CfnTemplate.Resource resource) {
        Map<String, Object> props = props(resource);
        String poolId = str(props.get("UserPoolId"));
        String name = str(props.getOrDefault("ClientName", resource.logicalId()));
        Optional<String> existing = cognito.listUserPoolClientsPaginator(b -> b.userPoolId(poolId).maxResults(60))
                .userPoolClients().stream().filter(c -> c.clientName().equals(name))
                .map(UserPoolClientDescription::clientId).findFirst();
        if (existing.isPresent()) {
            return existing.get();
        }
        CreateUserPoolClientRequest.Builder request = CreateUserPoolClientRequest.builder()
                .userPoolId(poolId).clientName(name)
                .generateSecret(bool(props.getOrDefault("GenerateSecret", false)));
        if (props.containsKey("ExplicitAuthFlows")) {
            request.explicitAuthFlowsWithStrings(strings(props.get("ExplicitAuthFlows")));
        }
        if (props.containsKey("PreventUserExistenceErrors")) {
            request.preventUserExistenceErrors(str(props.get("PreventUserExistenceErrors")));
        }
        Optional.ofNullable(props.get("AccessTokenValidity")).ifPresent(v -> request.accessTokenValidity(integer(v)));
        Optional.ofNullable(props.get("IdTokenValidity")).ifPresent(v -> request.idTokenValidity(integer(v)));
        Optional.ofNullable(props.get("RefreshTokenValidity")).ifPresent(v -> request.refreshTokenValidity(integer(v)));
        Map<String, Object> units = map(props.get("TokenValidityUnits"));
        if (!units.isEmpty()) {
            request.tokenValidityUnits(TokenValidityUnitsType.builder()
                    .accessToken(str(units.get("AccessToken"))).idToken(str(units.get("IdToken")))
                    .refreshToken(str(units.get("RefreshToken"))).build());
        }
        Optional.ofNullable(props.get("EnableTokenRevocation")).ifPresent(v -> request.enableTokenRevocation(bool(v)));
        return cognito.createUserPoolClient(request.build()).userPoolClient().clientId();
    }

    private void createGroup(CfnTemplate.Resource resource) {
        Map<String, Object> props = props(resource);
        try {
            cognito.createGroup(b -> {
                b.userPoolId(str(props.get("UserPoolId"))).groupName(str(props.get("GroupName")))
                        .description(str(props.get("Description")));
                Optional.ofNullable(props.get("Precedence")).ifPresent(v -> b.precedence(integer(v)));
            });
        } catch (GroupExistsException alreadyThere) {
            // an earlier run against the same endpoint made it
        }
    }

    private void createUser(CfnTemplate.Resource resource) {
        Map<String, Object> props = props(resource);
        List<AttributeType> attributes = list(props.get("UserAttributes")).stream().map(CognitoResources::map)
                .map(a -> AttributeType.builder().name(str(a.get("Name"))).value(str(a.get("Value"))).build()).toList();
        try {
            cognito.adminCreateUser(b -> b.userPoolId(str(props.get("UserPoolId"))).username(str(props.get("Username")))
                    .userAttributes(attributes).messageAction(MessageActionType.SUPPRESS));
        } catch (UsernameExistsException alreadyThere) {
            // an earlier run against the same endpoint made it
        }
    }

    private void addToGroup(CfnTemplate.Resource resource) {
        Map<String, Object> props = props(resource);
        cognito.adminAddUserToGroup(b -> b.userPoolId(str(props.get("UserPoolId")))
                .groupName(str(props.get("GroupName"))).username(str(props.get("Username"))));
    }

    private Map<String, Object> props(CfnTemplate.Resource resource) {
        return map(resolver.resolve(resource.properties()));
    }

    private static Map<String, Object> map(Object value) {
        return CfnTemplate.map(value);
    }

    private static List<?> list(Object value) {
        return value == null ? List.of() : (List<?>) value;
    }

    private static List<String> strings(Object value) {
        return list(value).stream().map(String::valueOf).toList();
    }

    private static String str(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    private static int integer(Object value) {
        return Integer.parseInt(String.valueOf(value).trim());
    }

    private static boolean bool(Object value) {
        return Boolean.parseBoolean(String.valueOf(value));
    }
}
