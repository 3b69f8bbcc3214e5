package shop.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import shop.core.errors.ForbiddenException;
import shop.core.errors.UnauthorizedException;

class AdminCallerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[owners]|owners",
            "[owners staff]|owners,staff",
            "[staff]|staff",
            "staff|staff",
            "[]|''"})
    void readsGroupsAsApiGatewayHandsThemOver(String claim, String expected) {
        Set<String> want = expected.isEmpty() ? Set.of() : Set.of(expected.split(","));
        assertEquals(want, AdminCaller.groups(claim));
    }

    @Test
    void staffMayNotDoWhatOnlyOwnersMay() {
        AdminCaller staff = AdminCaller.of(event(Map.of("sub", "s-1", "username", "sam", "cognito:groups", "[staff]")));
        assertEquals("sam", staff.requireStaff().username());
        assertThrows(ForbiddenException.class, staff::requireOwner);
    }

    @Test
    void ownersMayDoWhatStaffMay() {
        AdminCaller owner = AdminCaller.of(event(Map.of("sub", "o-1", "cognito:groups", "[owners]")));
        owner.requireStaff().requireOwner();
    }

    @Test
    void signedInWithoutAGroupMayDoNothing() {
        AdminCaller nobody = AdminCaller.of(event(Map.of("sub", "n-1")));
        assertThrows(ForbiddenException.class, nobody::requireStaff);
    }

    @Test
    void noVerifiedClaimsIsUnauthorized() {
        assertThrows(UnauthorizedException.class, () -> AdminCaller.of(new APIGatewayV2HTTPEvent()));
    }

    private static APIGatewayV2HTTPEvent event(Map<String, String> claims) {
        var jwt = new APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT();
        jwt.setClaims(claims);
        var authorizer = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
        authorizer.setJwt(jwt);
        var context = new APIGatewayV2HTTPEvent.RequestContext();
        context.setAuthorizer(authorizer);
        var event = new APIGatewayV2HTTPEvent();
        event.setRequestContext(context);
        return event;
    }
}
