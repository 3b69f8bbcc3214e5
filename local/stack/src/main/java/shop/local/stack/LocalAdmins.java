package shop.local.stack;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.MessageActionType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.RespondToAuthChallengeResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UsernameExistsException;

/**
 * The back office's people on this machine: the owner the template invites (OwnerEmail, locally
 * owner@localhost.test, in {@code owners}) and a local staff user (in {@code staff}), each with
 * a known permanent password and an authenticator enrolled as a person would enrol one
 * (AssociateSoftwareToken, VerifySoftwareToken with a real code, SetUserMFAPreference). Signing
 * in then takes the username, the password and a TOTP code, as on AWS.
 *
 * <p>moto hands every user the same TOTP secret; Cognito gives each their own. Nothing here
 * relies on that: the secret is the one AssociateSoftwareToken answered.
 */
public final class LocalAdmins {

    /** A local back-office user and the group it is in. Local-only passwords: never use them anywhere else. */
    public record Admin(String username, String password, String group) {}

    public static final Admin OWNER = new Admin(LocalParameters.DEFAULTS.get("OwnerEmail"),
            "Local-Owner-Passw0rd!", "owners");
    public static final Admin STAFF = new Admin("staff@localhost.test", "Local-Staff-Passw0rd!", "staff");

    /** What a successful sign-in returns; API Gateway's authorizer takes the access token. */
    public record Tokens(String accessToken, String idToken, String refreshToken) {
        static Tokens of(AuthenticationResultType result) {
            return new Tokens(result.accessToken(), result.idToken(), result.refreshToken());
        }
    }

    private final CognitoIdentityProviderClient cognito;
    private final String poolId;
    private final String clientId;
    private final URI endpoint;
    private final String region;
    private final Map<String, Admin> admins = new ConcurrentHashMap<>();
    private final Map<String, String> secrets = new ConcurrentHashMap<>();

    private LocalAdmins(CognitoIdentityProviderClient cognito, String poolId, String clientId, URI endpoint,
                        String region) {
        this.cognito = cognito;
        this.poolId = poolId;
        this.clientId = clientId;
        this.endpoint = endpoint;
        this.region = region;
    }

    /**
     * Gives the template's owner (already created from the template) and a new local staff user
     * their passwords and authenticators.
     */
    static LocalAdmins enroll(CognitoIdentityProviderClient cognito, String poolId, String clientId, URI endpoint,
                              String region) {
        LocalAdmins local = new LocalAdmins(cognito, poolId, clientId, endpoint, region);
        try {
            cognito.adminCreateUser(b -> b.userPoolId(poolId).username(STAFF.username())
                    .userAttributes(a -> a.name("email").value(STAFF.username()),
                            a -> a.name("email_verified").value("true"))
                    .messageAction(MessageActionType.SUPPRESS));
        } catch (UsernameExistsException alreadyThere) {
            // an earlier run against the same endpoint made it
        }
        cognito.adminAddUserToGroup(b -> b.userPoolId(poolId).groupName(STAFF.group()).username(STAFF.username()));
        for (Admin admin : List.of(OWNER, STAFF)) {
            local.admins.put(admin.username(), admin);
            local.secrets.put(admin.username(), local.enrollAuthenticator(admin.username(), admin.password()));
        }
        return local;
    }

    /**
     * Sets {@code password} as the user's permanent password, signs in once and enrols an
     * authenticator, answering MFA_SETUP where the service asks for it (Cognito does when MFA is
     * required; moto hands out tokens instead). Returns the authenticator's secret.
     */
    public String enrollAuthenticator(String username, String password) {
        cognito.adminSetUserPassword(b -> b.userPoolId(poolId).username(username).password(password).permanent(true));
        InitiateAuthResponse first = initiate(clientId, username, password);
        String secret;
        AuthenticationResultType tokens;
        if (first.challengeName() == ChallengeNameType.MFA_SETUP) {
            var associated = cognito.associateSoftwareToken(b -> b.session(first.session()));
            secret = associated.secretCode();
            var verified = cognito.verifySoftwareToken(b -> b.session(associated.session())
                    .userCode(Totp.freshCode(associated.secretCode())).friendlyDeviceName("local"));
            tokens = cognito.respondToAuthChallenge(b -> b.clientId(clientId).challengeName(ChallengeNameType.MFA_SETUP)
                    .session(verified.session()).challengeResponses(Map.of("USERNAME", username)))
                    .authenticationResult();
        } else if (first.authenticationResult() != null) {
            tokens = first.authenticationResult();
            secret = cognito.associateSoftwareToken(b -> b.accessToken(first.authenticationResult().accessToken()))
                    .secretCode();
            cognito.verifySoftwareToken(b -> b.accessToken(first.authenticationResult().accessToken())
                    .userCode(Totp.freshCode(secret)).friendlyDeviceName("local"));
        } else {
            throw new IllegalStateException(username + " already has an authenticator whose secret this run does not"
                    + " know (challenge " + first.challengeNameAsString() + "); delete the user from the pool " + poolId);
        }
        cognito.setUserMFAPreference(b -> b.accessToken(tokens.accessToken())
                .softwareTokenMfaSettings(s -> s.enabled(true).preferredMfa(true)));
        secrets.put(username, secret);
        return secret;
    }

    /** Signs a local user in through the app client as the admin page does: password, then a TOTP code. */
    public Tokens signIn(String username) {
        Admin admin = admins.get(username);
        if (admin == null) {
            throw new IllegalArgumentException(username + " is not a local back-office user; they are " + admins.keySet());
        }
        return signIn(clientId, username, admin.password(), totpSecret(username));
    }

    /** USER_PASSWORD_AUTH through {@code appClientId}, answering the SOFTWARE_TOKEN_MFA challenge with a fresh code. */
    public Tokens signIn(String appClientId, String username, String password, String totpSecret) {
        InitiateAuthResponse first = initiate(appClientId, username, password);
        if (first.challengeName() != ChallengeNameType.SOFTWARE_TOKEN_MFA) {
            throw new IllegalStateException("Expected the SOFTWARE_TOKEN_MFA challenge for " + username + ", got "
                    + first.challengeNameAsString());
        }
        RespondToAuthChallengeResponse answer = cognito.respondToAuthChallenge(b -> b.clientId(appClientId)
                .challengeName(ChallengeNameType.SOFTWARE_TOKEN_MFA).session(first.session())
                .challengeResponses(Map.of("USERNAME", username, "SOFTWARE_TOKEN_MFA_CODE", Totp.freshCode(totpSecret))));
        return Tokens.of(answer.authenticationResult());
    }

    private InitiateAuthResponse initiate(String appClientId, String username, String password) {
        return cognito.initiateAuth(b -> b.clientId(appClientId).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", username, "PASSWORD", password)));
    }

    /** The secret of the user's authenticator (base32, what an authenticator app is given). */
    public String totpSecret(String username) {
        String secret = secrets.get(username);
        if (secret == null) {
            throw new IllegalArgumentException("No authenticator enrolled here for " + username);
        }
        return secret;
    }

    /** The code the user's authenticator app shows now. */
    public String currentCode(String username) {
        return Totp.freshCode(totpSecret(username));
    }

    public List<Admin> admins() {
        return List.of(OWNER, STAFF);
    }

    public String poolId() {
        return poolId;
    }

    /** The app client the admin page signs in through (the authorizer's audience). */
    public String clientId() {
        return clientId;
    }

    /** Where the local Cognito answers (the SDK's endpoint; the admin page's too). */
    public URI endpoint() {
        return endpoint;
    }

    public String region() {
        return region;
    }

    /** What the tokens' {@code iss} says, and the authorizer's issuer: the same as on AWS. */
    public String issuer() {
        return "https://cognito-idp." + region + ".amazonaws.com/" + poolId;
    }

    /** The issuer's signing keys, where the local Cognito serves them. */
    public URI jwksUri() {
        return URI.create(endpoint.toString().replaceAll("/$", "") + "/" + poolId + "/.well-known/jwks.json");
    }

    public CognitoIdentityProviderClient cognito() {
        return cognito;
    }
}
