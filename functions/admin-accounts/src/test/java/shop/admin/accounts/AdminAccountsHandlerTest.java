package shop.admin.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import shop.core.admin.AdminAction;
import shop.core.admin.AuditTrail;
import shop.local.stack.CfnTemplate;

/** The handler fed the sample events of {@code events/admin-accounts/}, as API Gateway delivers them after the authorizer. */
class AdminAccountsHandlerTest {
    private static final ObjectMapper LAMBDA = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final List<AdminAction> trail = new ArrayList<>();
    private final AdminAccountsHandler handler = new AdminAccountsHandler(new AdminAccountsService(new StaffDirectory() {
        @Override
        public Optional<StaffMember> find(String username) {
            return Optional.of(new StaffMember("sam@example.com", username, "CONFIRMED", true));
        }

        @Override
        public List<String> groupsOf(String username) {
            return List.of("staff");
        }

        @Override
        public List<StaffMember> inGroup(String group) {
            return List.of(new StaffMember("sam@example.com", "s-1", "CONFIRMED", true));
        }

        @Override
        public StaffMember invite(String email, String group) {
            throw new AssertionError("no invitation in these tests");
        }

        @Override
        public void addToGroup(String username, String group) {
            throw new AssertionError("no invitation in these tests");
        }

        @Override
        public void disable(String username) {
            throw new AssertionError("no disabling in these tests");
        }

        @Override
        public void enable(String username) {
            throw new AssertionError("no enabling in these tests");
        }

        @Override
        public StaffMember resendInvitation(String username) {
            throw new AssertionError("no invitation in these tests");
        }
    }, new AuditTrail() {
        @Override
        public void record(AdminAction action) {
            trail.add(action);
        }

        @Override
        public List<AdminAction> of(String subject) {
            return trail;
        }
    }, Clock.systemUTC()));

    @Test
    void meAnswersTheSignInAddressAndGroups() throws Exception {
        var response = handler.handleRequest(event("get-me.json"), null);
        assertEquals(200, response.getStatusCode(), response.getBody());
        assertTrue(response.getBody().contains("\"username\":\"sam@example.com\""), response.getBody());
        assertTrue(response.getBody().contains("\"groups\":[\"staff\"]"), response.getBody());
    }

    @Test
    void theOwnerGetsTheStaffList() throws Exception {
        var response = handler.handleRequest(event("list-staff.json"), null);
        assertEquals(200, response.getStatusCode(), response.getBody());
        assertTrue(response.getBody().contains("sam@example.com"));
    }

    @Test
    void staffClaimsOnTheStaffListAre403() throws Exception {
        APIGatewayV2HTTPEvent event = event("list-staff.json");
        event.getRequestContext().getAuthorizer().getJwt().getClaims().put("cognito:groups", "[staff]");
        assertEquals(403, handler.handleRequest(event, null).getStatusCode());
    }

    @Test
    void theOwnerEnablesAnAccountThatIsEnabledAlreadyAndNothingIsRecorded() throws Exception {
        var response = handler.handleRequest(event("enable-staff.json"), null);
        assertEquals(200, response.getStatusCode(), response.getBody());
        assertTrue(response.getBody().contains("\"enabled\":true"), response.getBody());
        assertTrue(trail.isEmpty());
    }

    @Test
    void aResendToAnAccountThatSignedInIs409() throws Exception {
        var response = handler.handleRequest(event("resend-invitation.json"), null);
        assertEquals(409, response.getStatusCode(), response.getBody());
        assertTrue(response.getBody().contains("signed in already"), response.getBody());
        assertTrue(trail.isEmpty());
    }

    @Test
    void staffClaimsOnEnableAndResendAre403() throws Exception {
        for (String file : new String[] {"enable-staff.json", "resend-invitation.json"}) {
            APIGatewayV2HTTPEvent event = event(file);
            event.getRequestContext().getAuthorizer().getJwt().getClaims().put("cognito:groups", "[staff]");
            assertEquals(403, handler.handleRequest(event, null).getStatusCode(), file);
        }
        assertTrue(trail.isEmpty());
    }

    @Test
    void anEventWithoutVerifiedClaimsIs401() throws Exception {
        APIGatewayV2HTTPEvent event = event("get-me.json");
        event.getRequestContext().setAuthorizer(null);
        assertEquals(401, handler.handleRequest(event, null).getStatusCode());
        assertTrue(trail.isEmpty());
    }

    private static APIGatewayV2HTTPEvent event(String file) throws Exception {
        return LAMBDA.readValue(Files.readString(CfnTemplate.repositoryRoot().resolve("events/admin-accounts").resolve(file)),
                APIGatewayV2HTTPEvent.class);
    }
}
