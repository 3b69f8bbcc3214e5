package shop.campaigns;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import shop.core.admin.AdminCaller;
import shop.core.config.Env;
import shop.core.errors.InvalidInputException;
import shop.core.errors.NotFoundException;
import shop.core.http.ApiRequest;
import shop.core.http.ApiResponses;
import shop.core.http.JsonBody;
import shop.core.mail.Email;
import shop.core.snapstart.Priming;

/**
 * Lambda entry point for the owners' campaign routes (JWT authorizer AdminAuthorizer, then the
 * owners group checked here):
 * <ul>
 *   <li>{@code GET /admin/campaigns?page=} → the newest 50 and the next page's token; {@code POST /admin/campaigns}
 *   {@code {"subject", "html", "text"?}} → 201 with the draft;</li>
 *   <li>{@code GET /admin/campaigns/audience} → {@code {"confirmedSubscribers": n}}: how many a campaign sent now
 *   would go to, at most (a count of the audience's index, no address);</li>
 *   <li>{@code GET|PUT /admin/campaigns/{id}} → the campaign and its counts / changes a draft;</li>
 *   <li>{@code GET /admin/campaigns/{id}/preview} → subject, HTML, text and headers as a subscriber gets them;</li>
 *   <li>{@code POST /admin/campaigns/{id}/test} → 202, the mail sent to the owner's address;</li>
 *   <li>{@code POST /admin/campaigns/{id}/send} {@code {"at"?}} → now or at an ISO-8601 time;</li>
 *   <li>{@code POST /admin/campaigns/{id}/pause|resume|cancel}; 409 when the campaign's state forbids it.</li>
 * </ul>
 */
public final class CampaignsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final int MAX_BODY_BYTES = 256 * 1024;

    private final CampaignService service;
    private final java.util.Optional<String> publicApiUrl;
    private final Runnable primeAdapters;

    /** Called by Lambda: real clients, built once per execution environment, primed for SnapStart. */
    public CampaignsHandler() {
        this(Env.system());
        Priming.beforeSnapshot("campaigns", this::prime);
    }

    /** Called by the local server with the environment template.yaml gives this function. */
    public CampaignsHandler(Map<String, String> environment) {
        this(Env.of(environment));
    }

    private CampaignsHandler(Env env) {
        this(CampaignDependencies.owner(env), env.optional("PUBLIC_API_URL"));
    }

    private CampaignsHandler(CampaignDependencies.Wired<CampaignService> wired, java.util.Optional<String> publicApiUrl) {
        this(wired.service(), publicApiUrl, wired.prime());
    }

    CampaignsHandler(CampaignService service, java.util.Optional<String> publicApiUrl) {
        this(service, publicApiUrl, () -> { });
    }

    private CampaignsHandler(CampaignService service, java.util.Optional<String> publicApiUrl, Runnable primeAdapters) {
        this.service = service;
        this.publicApiUrl = publicApiUrl;
        this.primeAdapters = primeAdapters;
    }

    /**
     * A call without verified claims (401 before anything is read), the audience's count as staff (403 before it is
     * counted: as an owner it would read the whole index), then the adapters' calls that change nothing.
     */
    void prime() {
        handleRequest(Priming.httpRequest("GET", "/admin/campaigns", Map.of(), null), null);
        handleRequest(Priming.adminRequest("GET /admin/campaigns/audience", Map.of(), Map.of(), null, AdminCaller.STAFF),
                null);
        primeAdapters.run();
    }

    /** {@code {campaigns, nextPage}}: nextPage null on the last page. */
    private static Map<String, Object> list(CampaignStore.Page page) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("campaigns", page.campaigns().stream().map(CampaignsHandler::summary).toList());
        body.put("nextPage", page.next().map(CampaignService::pageToken).orElse(null));
        return body;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        var request = new ApiRequest(event);
        try {
            AdminCaller caller = AdminCaller.of(event).requireOwner();
            String id = request.pathParameter("id").orElse("");
            return switch (String.valueOf(event.getRouteKey())) {
                case "GET /admin/campaigns" -> ApiResponses.json(200, list(service.list(request.query("page"))));
                case "POST /admin/campaigns" -> ApiResponses.json(201, json(service.create(caller, draft(request))));
                case "GET /admin/campaigns/audience" -> ApiResponses.json(200,
                        Map.of("confirmedSubscribers", service.audienceSize()));
                case "GET /admin/campaigns/{id}" -> ApiResponses.json(200, json(service.get(id)));
                case "PUT /admin/campaigns/{id}" -> ApiResponses.json(200, json(service.update(caller, id, draft(request))));
                case "GET /admin/campaigns/{id}/preview" -> ApiResponses.json(200, preview(service.preview(id, request.publicBaseUrl(publicApiUrl))));
                case "POST /admin/campaigns/{id}/test" -> ApiResponses.json(202,
                        Map.of("sentTo", "owner", "messageId", service.sendTest(caller, id, request.publicBaseUrl(publicApiUrl))));
                case "POST /admin/campaigns/{id}/send" -> ApiResponses.json(200, json(service.send(caller, id, at(request))));
                case "POST /admin/campaigns/{id}/pause" -> ApiResponses.json(200, json(service.pause(caller, id)));
                case "POST /admin/campaigns/{id}/resume" -> ApiResponses.json(200, json(service.resume(caller, id)));
                case "POST /admin/campaigns/{id}/cancel" -> ApiResponses.json(200, json(service.cancel(caller, id)));
                default -> throw new NotFoundException("No such campaign route.");
            };
        } catch (RuntimeException e) {
            return ApiResponses.error(e);
        }
    }

    private static CampaignDraft draft(ApiRequest request) {
        var body = JsonBody.parse(request, MAX_BODY_BYTES);
        return new CampaignDraft(body.requiredString("subject"), body.requiredString("html"),
                body.optionalString("text").orElse(null));
    }

    private static Instant at(ApiRequest request) {
        if (request.bodyBytes().length == 0) {
            return null;
        }
        var at = JsonBody.parse(request, 1024).optionalString("at");
        try {
            return at.map(Instant::parse).orElse(null);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("at", "\"at\" is an ISO-8601 time such as 2026-12-24T08:00:00Z.");
        }
    }

    private static Map<String, Object> summary(Campaign campaign) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", campaign.id());
        json.put("subject", campaign.subject());
        json.put("status", campaign.status().name());
        json.put("sendAt", campaign.sendAt() == null ? null : campaign.sendAt().toString());
        json.put("createdAt", campaign.createdAt().toString());
        json.put("finishedAt", campaign.finishedAt() == null ? null : campaign.finishedAt().toString());
        json.put("counts", campaign.counts());
        return json;
    }

    private static Map<String, Object> json(Campaign campaign) {
        Map<String, Object> json = summary(campaign);
        json.put("html", campaign.html());
        json.put("text", campaign.text());
        json.put("pass", campaign.pass());
        return json;
    }

    private static Map<String, Object> preview(Email mail) {
        return Map.of("subject", mail.subject(), "html", mail.html(), "text", mail.text(), "headers", mail.headers());
    }
}
