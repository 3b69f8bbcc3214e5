package shop.admin.accounts;

import java.util.List;
import java.util.Optional;
import shop.core.snapstart.Priming;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminGetUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.DeliveryMediumType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GroupType;
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
        UserType user;
        try {
            user = cognito.adminCreateUser(b -> b.userPoolId(poolId).username(email)
                    .userAttributes(a -> a.name("email").value(email), a -> a.name("email_verified").value("true"))
                    .desiredDeliveryMediums(DeliveryMediumType.EMAIL)).user();
        } catch (UsernameExistsException e) {
            throw new AlreadyExists();
        }
        cognito.adminAddUserToGroup(b -> b.userPoolId(poolId).username(email).groupName(group));
        return member(user);
    }

    @Override
    public void disable(String username) {
        cognito.adminDisableUser(b -> b.userPoolId(poolId).username(username));
        cognito.adminUserGlobalSignOut(b -> b.userPoolId(poolId).username(username));
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
