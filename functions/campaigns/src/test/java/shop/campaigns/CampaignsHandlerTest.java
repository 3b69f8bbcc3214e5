package shop.campaigns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import shop.core.admin.AdminAction;
import shop.core.admin.AuditTrail;
import shop.core.email.EmailAddress;
import shop.core.json.Json;
import shop.core.mail.Email;

/** The owners' routes fed from events/campaigns, over in-memory ports. */
class CampaignsHandlerTest {
    private static final Path EVENTS = Path.of("../../events/campaigns");

    private final Fakes.Campaigns campaigns = new Fakes.Campaigns();
    private final List<Email> mails = new ArrayList<>();
    private final List<AdminAction> trail = new ArrayList<>();
    private final Fakes.People audience = new Fakes.People();
    private final CampaignsHandler handler = new CampaignsHandler(new CampaignService(campaigns, audience, id -> 0,
            new CampaignMails("Shop", "1 Main St", "https://api.example.com"), mail -> {
                mails.add(mail);
                return "m" + mails.size();
            }, new EmailAddress("owner@example.com"), new AuditTrail() {
                @Override
                public void record(AdminAction action) {
                    trail.add(action);
                }

                @Override
                public List<AdminAction> of(String subject) {
                    return trail.stream().filter(a -> a.subject().equals(subject)).toList();
                }
            }, Clock.systemUTC()), Optional.empty());

    private static APIGatewayV2HTTPEvent event(String name) throws Exception {
        return Json.mapper().readValue(Files.readString(EVENTS.resolve(name)), APIGatewayV2HTTPEvent.class);
    }

    @Test
    void theOwnerCreatesADraftWhoseTextIsMadeFromItsHtmlAndTheTrailSaysSo() throws Exception {
        var response = handler.handleRequest(event("create-campaign.json"), null);
        assertEquals(201, response.getStatusCode(), response.getBody());
        var body = Json.mapper().readTree(response.getBody());
        assertEquals("DRAFT", body.get("status").asText());
        assertTrue(body.get("text").asText().contains("See them (https://shop.example.com/winter.html)"));
        assertEquals("campaign.created", campaigns.lines.get(0).action(), "written by the store with the draft");
        assertEquals("0a1b2c3d-owner-sample", campaigns.lines.get(0).actor());
    }

    @Test
    void theListPagesNewestFirstFiftyAtATimeAndABadPageTokenIs400() throws Exception {
        for (int i = 0; i < CampaignService.LIST_LIMIT + 1; i++) {
            assertEquals(201, handler.handleRequest(event("create-campaign.json"), null).getStatusCode());
        }

        var first = Json.mapper().readTree(handler.handleRequest(ownersList(null), null).getBody());
        assertEquals(CampaignService.LIST_LIMIT, first.get("campaigns").size());
        String token = first.get("nextPage").asText();
        var second = Json.mapper().readTree(handler.handleRequest(ownersList(token), null).getBody());

        assertEquals(1, second.get("campaigns").size(), "the oldest, on the next page");
        assertTrue(second.get("nextPage").isNull());
        List<String> seen = new ArrayList<>();
        first.get("campaigns").forEach(c -> seen.add(c.get("id").asText()));
        second.get("campaigns").forEach(c -> seen.add(c.get("id").asText()));
        assertEquals(campaigns.campaigns.size(), new java.util.HashSet<>(seen).size(), "every campaign once");
        for (String bad : List.of("%3Cscript%3E", "1.2", "1795600800000.NOT-A-UUID", "9".repeat(16) + "." + seen.get(0),
                token + "x", " " + token)) {
            var refused = handler.handleRequest(ownersList(bad), null);
            assertEquals(400, refused.getStatusCode(), bad);
            assertTrue(refused.getBody().contains("\"field\":\"page\""), refused.getBody());
        }
    }

    /** GET /admin/campaigns as the owner, with {@code page} when not null. */
    private static APIGatewayV2HTTPEvent ownersList(String page) throws Exception {
        APIGatewayV2HTTPEvent list = event("list-campaigns-by-staff.json");
        list.getRequestContext().getAuthorizer().getJwt().getClaims().put("cognito:groups", "[owners]");
        if (page != null) {
            list.setQueryStringParameters(java.util.Map.of("page", page));
        }
        return list;
    }

    @Test
    void staffAre403AndNothingIsRead() throws Exception {
        assertEquals(403, handler.handleRequest(event("list-campaigns-by-staff.json"), null).getStatusCode());
    }

    @Test
    void theOwnerReadsHowManyConfirmedSubscribersACampaignWouldGoToAndStaffAre403() throws Exception {
        audience.confirmed.addAll(List.of("ann@example.com", "bo@example.com"));

        var response = handler.handleRequest(event("get-campaign-audience.json"), null);

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals("{\"confirmedSubscribers\":2}", response.getBody(), "the count alone, no address");
        APIGatewayV2HTTPEvent byStaff = event("get-campaign-audience.json");
        byStaff.getRequestContext().getAuthorizer().getJwt().getClaims().put("cognito:groups", "[staff]");
        var refused = handler.handleRequest(byStaff, null);
        assertEquals(403, refused.getStatusCode(), refused.getBody());
        assertFalse(refused.getBody().contains("confirmedSubscribers"), refused.getBody());
    }

    @Test
    void aDraftWithoutSubjectIs400() throws Exception {
        var response = handler.handleRequest(event("create-campaign-without-subject.json"), null);
        assertEquals(400, response.getStatusCode());
        assertTrue(response.getBody().contains("\"field\":\"subject\""), response.getBody());
        assertTrue(campaigns.campaigns.isEmpty());
    }

    @Test
    void anUnknownCampaignIs404AndSendsNothing() throws Exception {
        assertEquals(404, handler.handleRequest(event("get-unknown-campaign.json"), null).getStatusCode());
        assertEquals(404, handler.handleRequest(event("send-campaign-at.json"), null).getStatusCode());
        assertTrue(mails.isEmpty() && trail.isEmpty() && campaigns.lines.isEmpty());
    }
}
