package shop.adminorders;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import shop.commerce.orders.OrderIndexes;
import shop.commerce.orders.ShippingAddress;
import shop.core.admin.AdminCaller;
import shop.core.config.Env;
import shop.core.dynamo.DynamoAuditTrail;
import shop.core.email.EmailAddress;
import shop.core.errors.InvalidInputException;
import shop.core.errors.NotFoundException;
import shop.core.http.ApiRequest;
import shop.core.http.ApiResponses;
import shop.core.http.JsonBody;
import shop.core.snapstart.Priming;

/**
 * Lambda entry point for the back office's orders, routed on the event's {@code routeKey}:
 * {@code GET /admin/orders} (a list by status, the open disputes with {@code dispute=open}, or a search by
 * {@code number} or {@code email}),
 * {@code GET /admin/orders/{id}}, {@code POST /admin/orders/{id}/shipment}, {@code PUT /admin/orders/{id}/shipment}
 * (a shipped order's corrected tracking), {@code PUT /admin/orders/{id}/shipping-address} (an order to ship sent
 * elsewhere at the customer's request), {@code PUT /admin/orders/{id}/email} (a paid order's customer email corrected
 * after its mail bounced),
 * {@code GET /admin/orders/{id}/packing-slip} and {@code GET /admin/packing-slips} (the slips of every order to ship,
 * oldest first: staff and owners), {@code POST /admin/orders/{id}/accept},
 * {@code POST /admin/exports/orders} and {@code GET /admin/activity} (the whole back office's trail of a day: owners only). API Gateway's JWT authorizer has checked the
 * token; this checks the group first.
 */
public final class AdminOrdersHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final int MAX_BODY_BYTES = 4_096;
    private static final String NEVER_ORDERED = "cs_priming_never_ordered";

    private final OrderListService lists;
    private final OrderRecordService records;
    private final ShipmentService shipments;
    private final ShippingAddressChangeService addressChanges;
    private final CustomerEmailChangeService emailChanges;
    private final OrderAcceptanceService acceptances;
    private final PackingSlipService packingSlips;
    private final AccountingExportService accountingExports;
    private final ActivityService activity;
    private final Runnable primeAdapters;

    /** Called by Lambda: real clients, built once per execution environment, primed for SnapStart. */
    public AdminOrdersHandler() {
        this(Env.system());
        Priming.beforeSnapshot("admin-orders", this::prime);
    }

    /** Called by the local server with the environment template.yaml gives this function. */
    public AdminOrdersHandler(Map<String, String> environment) {
        this(Env.of(environment));
    }

    private AdminOrdersHandler(Env env) {
        this(AdminOrdersDependencies.fromEnvironment(env));
    }

    AdminOrdersHandler(AdminOrdersDependencies dependencies) {
        this.lists = dependencies.lists();
        this.records = dependencies.records();
        this.shipments = dependencies.shipments();
        this.addressChanges = dependencies.addressChanges();
        this.emailChanges = dependencies.emailChanges();
        this.acceptances = dependencies.acceptances();
        this.packingSlips = dependencies.packingSlips();
        this.accountingExports = dependencies.accountingExports();
        this.activity = dependencies.activity();
        this.primeAdapters = dependencies.primeAdapters();
    }

    /**
     * Every route, as a verified caller whom no record names, on requests that change nothing:
     * "to ship" and a search by number from a page before 1970, the batch of packing slips and the open disputes from
     * after the last
     * (Queries that find nothing), the record, the packing slip,
     * a shipment, its correction, a shipping address change, an email correction and an acceptance of an order never
     * placed (404 after its read, before the email correction hashes an address), an export whose
     * dates are the wrong way round (400), today's activity from before the day's first line (a Query that finds
     * nothing); then the adapters' calls the routes did not reach.
     */
    void prime() {
        String beforeEveryOrder = PageToken.encode("PAID", Map.of("pk", "ORDER#" + NEVER_ORDERED, "status", "PAID",
                OrderIndexes.LISTED_AT, OrderIndexes.listedAt(Instant.EPOCH, NEVER_ORDERED)));
        Map<String, String> id = Map.of("id", NEVER_ORDERED);
        handleRequest(Priming.adminRequest("GET /admin/orders", Map.of(),
                Map.of("status", "PAID", "limit", "25", "page", beforeEveryOrder), null, AdminCaller.STAFF), null);
        // A search by number from before every order; never one by email, which would read the address hash key.
        String number = "0000-0000";
        handleRequest(Priming.adminRequest("GET /admin/orders", Map.of(), Map.of("number", number, "limit", "25", "page",
                PageToken.encode("NUMBER#" + number, Map.of("pk", "ORDER#" + NEVER_ORDERED,
                        OrderIndexes.LISTED_AT, OrderIndexes.listedAt(Instant.EPOCH, NEVER_ORDERED)))), null,
                AdminCaller.STAFF), null);
        // The open disputes after the last one there can be: a Query that finds nothing.
        handleRequest(Priming.adminRequest("GET /admin/orders", Map.of(), Map.of("dispute", "open", "limit", "25", "page",
                PageToken.encode("DISPUTE#open", Map.of("pk", "ORDER#" + NEVER_ORDERED,
                        OrderIndexes.DISPUTE_DUE_BY, OrderIndexes.disputeDueBy(null, NEVER_ORDERED)))), null,
                AdminCaller.STAFF), null);
        handleRequest(Priming.adminRequest("GET /admin/orders/{id}", id, Map.of(), null, AdminCaller.STAFF), null);
        handleRequest(Priming.adminRequest("GET /admin/orders/{id}/packing-slip", id, Map.of(), null, AdminCaller.STAFF), null);
        // The batch of slips from after the last order there can be (oldest first): a Query that finds nothing, so no
        // name or address is read into the snapshot.
        String afterEveryOrder = PageToken.encode(PackingSlipService.LIST, Map.of("pk", "ORDER#" + NEVER_ORDERED, "status",
                "PAID", OrderIndexes.LISTED_AT, OrderIndexes.listedAt(Instant.parse("9999-12-31T23:59:59Z"), NEVER_ORDERED)));
        handleRequest(Priming.adminRequest("GET /admin/packing-slips", Map.of(), Map.of("limit", "50", "page",
                afterEveryOrder), null, AdminCaller.STAFF), null);
        handleRequest(Priming.adminRequest("POST /admin/orders/{id}/shipment", id, Map.of(),
                "{\"carrier\":\"Priming\",\"trackingNumber\":\"PRIMING\",\"trackingUrl\":\"https://priming.invalid/\"}",
                AdminCaller.STAFF), null);
        handleRequest(Priming.adminRequest("PUT /admin/orders/{id}/shipment", id, Map.of(),
                "{\"carrier\":\"Priming\",\"trackingNumber\":\"PRIMING\",\"trackingUrl\":\"https://priming.invalid/\","
                        + "\"corrections\":0}", AdminCaller.STAFF), null);
        handleRequest(Priming.adminRequest("PUT /admin/orders/{id}/shipping-address", id, Map.of(),
                "{\"name\":\"Priming\",\"shippingAddress\":{\"line1\":\"Priming\",\"city\":\"Priming\",\"country\":\"ZZ\"},"
                        + "\"shippingVersion\":\"priming\"}", AdminCaller.STAFF), null);
        handleRequest(Priming.adminRequest("PUT /admin/orders/{id}/email", id, Map.of(),
                "{\"email\":\"priming@priming.invalid\",\"emailVersion\":\"priming\"}", AdminCaller.STAFF), null);
        handleRequest(Priming.adminRequest("POST /admin/orders/{id}/accept", id, Map.of(), "{\"note\":\"Priming\"}",
                AdminCaller.OWNERS), null);
        handleRequest(Priming.adminRequest("POST /admin/exports/orders", Map.of(), Map.of(),
                "{\"from\":\"2000-01-02\",\"to\":\"2000-01-01\"}", AdminCaller.OWNERS), null);
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        handleRequest(Priming.adminRequest("GET /admin/activity", Map.of(), Map.of("day", today, "limit", "50", "page",
                PageToken.encode("ACTIVITY#" + today, Map.of("subject", "PRIMING#never-recorded",
                        "at", today + "T00:00:00.000000000Z#00000000-0000-0000-0000-000000000000",
                        DynamoAuditTrail.DAY, today))), null, AdminCaller.OWNERS), null);
        primeAdapters.run();
    }

    /** The shipment's count of corrections the page read: what the correction is conditional on. */
    private static int corrections(JsonBody body) {
        JsonNode value = body.node("corrections");
        if (value == null || !value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
            throw new InvalidInputException("corrections", ShipmentService.CORRECTIONS_FIELD);
        }
        return value.intValue();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        var request = new ApiRequest(event);
        try {
            AdminCaller caller = AdminCaller.of(event).requireStaff();
            String id = request.pathParameter("id").orElse("");
            return switch (String.valueOf(event.getRouteKey())) {
                case "GET /admin/orders" -> ApiResponses.json(200, lists.orders(request::query));
                case "GET /admin/orders/{id}" -> ApiResponses.json(200, records.detail(id));
                case "GET /admin/orders/{id}/packing-slip" -> ApiResponses.json(200, packingSlips.packingSlip(id));
                case "GET /admin/packing-slips" -> ApiResponses.json(200, packingSlips.toShip(request.query("limit"),
                        request.query("page")));
                case "POST /admin/orders/{id}/shipment" -> {
                    JsonBody body = JsonBody.parse(request, MAX_BODY_BYTES);
                    yield ApiResponses.json(200, shipments.ship(caller, id, body.requiredString("carrier"),
                            body.requiredString("trackingNumber"), body.requiredString("trackingUrl")));
                }
                case "PUT /admin/orders/{id}/shipment" -> {
                    JsonBody body = JsonBody.parse(request, MAX_BODY_BYTES);
                    yield ApiResponses.json(200, shipments.correctShipment(caller, id, body.requiredString("carrier"),
                            body.requiredString("trackingNumber"), body.requiredString("trackingUrl"),
                            corrections(body)));
                }
                case "PUT /admin/orders/{id}/shipping-address" -> {
                    JsonBody body = JsonBody.parse(request, MAX_BODY_BYTES);
                    yield ApiResponses.json(200, addressChanges.changeShippingAddress(caller, id, body.requiredString("name"),
                            ShippingAddress.fromJson(ShippingAddress.FIELD, body.node(ShippingAddress.FIELD)),
                            body.optionalString("shippingVersion").orElseThrow(() -> new InvalidInputException(
                                    "shippingVersion", ShippingAddressChangeService.SHIPPING_VERSION_FIELD))));
                }
                case "PUT /admin/orders/{id}/email" -> {
                    JsonBody body = JsonBody.parse(request, MAX_BODY_BYTES);
                    yield ApiResponses.json(200, emailChanges.changeEmail(caller, id,
                            EmailAddress.parse("email", body.requiredString("email")),
                            body.optionalString("emailVersion").orElseThrow(() -> new InvalidInputException(
                                    "emailVersion", CustomerEmailChangeService.EMAIL_VERSION_FIELD))));
                }
                case "POST /admin/orders/{id}/accept" -> {
                    caller.requireOwner();
                    JsonBody body = request.bodyBytes().length == 0 ? null : JsonBody.parse(request, MAX_BODY_BYTES);
                    String note = body == null ? null : body.optionalString("note").orElse(null);
                    boolean takeArchived = body != null && body.optionalBoolean("takeArchived").orElse(false);
                    yield ApiResponses.json(200, acceptances.accept(caller, id, note, takeArchived));
                }
                case "POST /admin/exports/orders" -> {
                    caller.requireOwner();
                    JsonBody body = JsonBody.parse(request, MAX_BODY_BYTES);
                    yield ApiResponses.json(200, accountingExports.export(caller, body.requiredString("from"),
                            body.requiredString("to")));
                }
                case "GET /admin/activity" -> ApiResponses.json(200, activity.day(caller, request.query("day"),
                        request.query("limit"), request.query("page")));
                default -> throw new NotFoundException("No such back-office route.");
            };
        } catch (RuntimeException e) {
            return ApiResponses.error(e);
        }
    }
}
