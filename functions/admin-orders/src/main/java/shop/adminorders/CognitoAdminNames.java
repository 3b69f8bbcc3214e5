package shop.adminorders;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import shop.core.logging.Log;
import shop.core.snapstart.Priming;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;

/**
 * {@link AdminNames} from the user pool: AdminGetUser, the account's {@code email} attribute.
 * A shop has a handful of accounts, and an account's username never changes: each is asked once
 * per execution environment (an unknown one too), up to {@value #REMEMBERED} of them.
 */
final class CognitoAdminNames implements AdminNames {
    static final int REMEMBERED = 200;

    private final CognitoIdentityProviderClient cognito;
    private final String poolId;
    private final Map<String, Optional<String>> known = new ConcurrentHashMap<>();

    CognitoAdminNames(CognitoIdentityProviderClient cognito, String poolId) {
        this.cognito = cognito;
        this.poolId = poolId;
    }

    @Override
    public Optional<String> signInAddress(String username) {
        if (username == null || username.isBlank() || username.length() > 128) {
            return Optional.empty();
        }
        Optional<String> name = known.get(username);
        if (name == null) {
            try {
                name = ask(username);
            } catch (SdkException e) {
                // The order still shows, with the id the token carried; asked again next time.
                Log.warn("admin_name_unavailable", Map.of("error", e.getClass().getSimpleName()));
                return Optional.empty();
            }
            if (known.size() < REMEMBERED) {
                known.put(username, name);
            }
        }
        return name;
    }

    private Optional<String> ask(String username) {
        try {
            return cognito.adminGetUser(b -> b.userPoolId(poolId).username(username)).userAttributes().stream()
                    .filter(attribute -> attribute.name().equals("email")).map(AttributeType::value).findFirst();
        } catch (UserNotFoundException e) {
            return Optional.empty();
        }
    }

    /** For SnapStart: the call stopped before it is sent (no account is read into the snapshot). */
    void prime() {
        Priming.unsent(o -> cognito.adminGetUser(b -> b.userPoolId(poolId).username("priming-nobody")
                .overrideConfiguration(o)));
    }
}
