package shop.core.admin;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import shop.core.errors.ForbiddenException;
import shop.core.errors.UnauthorizedException;

/**
 * Who called an {@code /admin/*} route, from the claims that the HTTP API's JWT authorizer
 * (the Cognito user pool's access token) verified before the function ran. The handler still
 * checks the group: the authorizer proves the token, not the right to this action.
 *
 * <p>API Gateway hands every claim over as a string; an array claim such as
 * {@code cognito:groups} arrives as {@code "[owners staff]"} (bracketed, space-separated).
 *
 * @param subject  the Cognito user's {@code sub}: stable, recorded in the audit trail
 * @param username the Cognito username (the person's sign-in name, shown in the trail)
 * @param groups   {@code owners} and/or {@code staff}
 */
public record AdminCaller(String subject, String username, Set<String> groups) {

    public static final String OWNERS = "owners";
    public static final String STAFF = "staff";

    public AdminCaller {
        groups = Set.copyOf(groups);
    }

    /** The caller the authorizer verified; 401 when the event carries no verified claims. */
    public static AdminCaller of(APIGatewayV2HTTPEvent event) {
        Map<String, String> claims = Optional.ofNullable(event.getRequestContext())
                .map(APIGatewayV2HTTPEvent.RequestContext::getAuthorizer)
                .map(APIGatewayV2HTTPEvent.RequestContext.Authorizer::getJwt)
                .map(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT::getClaims)
                .orElse(Map.of());
        String subject = claims.get("sub");
        if (subject == null || subject.isBlank()) {
            throw new UnauthorizedException("Sign in to the back office first.");
        }
        return new AdminCaller(subject, claims.getOrDefault("username", subject), groups(claims.get("cognito:groups")));
    }

    /** Owners may do everything staff may. */
    public AdminCaller requireStaff() {
        if (!groups.contains(STAFF) && !groups.contains(OWNERS)) {
            throw new ForbiddenException("Your account is not in the owners or staff group.");
        }
        return this;
    }

    public AdminCaller requireOwner() {
        if (!groups.contains(OWNERS)) {
            throw new ForbiddenException("Only the shop's owners may do this.");
        }
        return this;
    }

    public boolean isOwner() {
        return groups.contains(OWNERS);
    }

    static Set<String> groups(String claim) {
        if (claim == null) {
            return Set.of();
        }
        String inner = claim.strip();
        if (inner.startsWith("[") && inner.endsWith("]")) {
            inner = inner.substring(1, inner.length() - 1);
        }
        return Arrays.stream(inner.split("[\\s,]+")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }
}
