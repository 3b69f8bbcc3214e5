package shop.admin.accounts;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import shop.core.snapstart.Priming;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminGetUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.DeliveryMediumType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GroupType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.MessageActionType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UnsupportedUserStateException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UsernameExistsException;

/**
 * The staff directory on the Cognito user pool, through the generated client. The pool signs in
 * by email, so an account's email is what people call its username; Cognito's own username is
 * a generated id, answered as {@code sub}.
 */
final class CognitoStaffDirectory implements StaffDirectory {

    private final CognitoIdentityProviderClient cognito;
    private final String poolId;

    CognitoStaffDirectory(CognitoIdentityProviderClient cognito, String poolId) {
        this.cognito = cognito;
        this.poolId = poolId;
    }

    @Override
    public Optional<StaffMember> find(String username) {
        try {
            AdminGetUserResponse user = cognito.adminGetUser(b -> b.userPoolId(poolId).username(username));
            return Optional.of(member(user.username(), user.userAttributes(), user.userStatusAsString(),
                    Boolean.TRUE.equals(user.enabled())));
        } catch (UserNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<String> groupsOf(String username) {
        try {
            return cognito.adminListGroupsForUserPaginator(b -> b.userPoolId(poolId).username(username)).groups()
                    .stream().map(GroupType::groupName).sorted().toList();
        } catch (UserNotFoundException e) {
            return List.of();
        }
    }

    @Override
    public List<StaffMember> inGroup(String group) {
        return cognito.listUsersInGroupPaginator(b -> b.userPoolId(poolId).groupName(group)).users().stream()
                .map(CognitoStaffDirectory::member).sorted(java.util.Comparator.comparing(StaffMember::username))
                .toList();
    }

    @Override
    public StaffMember invite(String email, String group) {
        UserType user = changing("AdminCreateUser", () -> {
            try {
                return cognito.adminCreateUser(b -> b.userPoolId(poolId).username(email)
                        .userAttributes(a -> a.name("email").value(email), a -> a.name("email_verified").value("true"))
                        .desiredDeliveryMediums(DeliveryMediumType.EMAIL)).user();
            } catch (UsernameExistsException e) {
                throw new AlreadyExists();
            }
        });
        addToGroup(email, group);
        return member(user);
    }

    @Override
    public void addToGroup(String username, String group) {
        changing("AdminAddUserToGroup", () -> cognito.adminAddUserToGroup(b -> b.userPoolId(poolId).username(username)
                .groupName(group)));
    }

    @Override
    public void disable(String username) {
        // Signed out first: the service takes a disabled account as done, so a sign-out that failed
        // after the disable would never be tried again; failed before it, the next press does both.
        // The disable itself revokes the account's tokens, so a sign-in in between gains nothing.
        changing("AdminUserGlobalSignOut", () -> cognito.adminUserGlobalSignOut(b -> b.userPoolId(poolId)
                .username(username)));
        changing("AdminDisableUser", () -> cognito.adminDisableUser(b -> b.userPoolId(poolId).username(username)));
    }

    @Override
    public void enable(String username) {
        changing("AdminEnableUser", () -> cognito.adminEnableUser(b -> b.userPoolId(poolId).username(username)));
    }

    /** AdminCreateUser with MessageAction RESEND: Cognito refuses it for an account past its first sign-in. */
    @Override
    public StaffMember resendInvitation(String username) {
        try {
            return member(changing("AdminCreateUser", () -> cognito.adminCreateUser(b -> b.userPoolId(poolId)
                    .username(username).messageAction(MessageActionType.RESEND)
                    .desiredDeliveryMediums(DeliveryMediumType.EMAIL)).user()));
        } catch (Failed e) {
            if (e.getCause() instanceof UnsupportedUserStateException) {
                throw new NotInvited(e.call(), e.code(), e.getCause());
            }
            throw e;
        }
    }

    /** A call that changes the pool; its failure named by the call and the pool's error code. */
    private static <T> T changing(String call, Supplier<T> request) {
        try {
            return request.get();
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            throw new Failed(call, code == null ? e.getClass().getSimpleName() : code, e);
        } catch (SdkException e) {
            throw new Failed(call, e.getClass().getSimpleName(), e);
        }
    }

    /**
     * For SnapStart: the groups of an account no one has (a read that finds nothing), then every
     * other call stopped before it is sent (the staff list would bring people's addresses into the
     * snapshot; the rest would change the pool).
     */
    void prime(String nobody) {
        groupsOf(nobody);
        Priming.unsent(o -> cognito.listUsersInGroup(b -> b.userPoolId(poolId).groupName("staff").overrideConfiguration(o)));
        Priming.unsent(o -> cognito.adminCreateUser(b -> b.userPoolId(poolId).username(nobody)
                .userAttributes(a -> a.name("email").value(nobody), a -> a.name("email_verified").value("true"))
                .desiredDeliveryMediums(DeliveryMediumType.EMAIL).overrideConfiguration(o)));
        Priming.unsent(o -> cognito.adminAddUserToGroup(b -> b.userPoolId(poolId).username(nobody).groupName("staff")
                .overrideConfiguration(o)));
        Priming.unsent(o -> cognito.adminDisableUser(b -> b.userPoolId(poolId).username(nobody).overrideConfiguration(o)));
        Priming.unsent(o -> cognito.adminUserGlobalSignOut(b -> b.userPoolId(poolId).username(nobody)
                .overrideConfiguration(o)));
        Priming.unsent(o -> cognito.adminEnableUser(b -> b.userPoolId(poolId).username(nobody).overrideConfiguration(o)));
        Priming.unsent(o -> cognito.adminCreateUser(b -> b.userPoolId(poolId).username(nobody)
                .messageAction(MessageActionType.RESEND).desiredDeliveryMediums(DeliveryMediumType.EMAIL)
                .overrideConfiguration(o)));
    }

    private static StaffMember member(UserType user) {
        return member(user.username(), user.attributes(), user.userStatusAsString(), Boolean.TRUE.equals(user.enabled()));
    }

    private static StaffMember member(String cognitoUsername, List<AttributeType> attributes, String status,
                                      boolean enabled) {
        String email = attribute(attributes, "email").orElse(cognitoUsername);
        String sub = attribute(attributes, "sub").orElse(cognitoUsername);
        return new StaffMember(email, sub, status, enabled);
    }

    private static Optional<String> attribute(List<AttributeType> attributes, String name) {
        return attributes.stream().filter(a -> a.name().equals(name)).map(AttributeType::value).findFirst();
    }
}
