package shop.local.stack;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe for the local stack: WireMock in this JVM answering what the shop's functions call
 * (create, retrieve and expire Checkout Sessions, their line items a page at a time, list sessions by payment intent,
 * retrieve charges; list customers by email and delete them) with objects shaped like Stripe's,
 * and remembering every session it created and the request that created it.
 * What the customer does on Stripe's hosted page is done here by {@link #pay}, {@link #succeedPayment},
 * {@link #failPayment}, {@link #expire}; what the owner does in the Dashboard by {@link #refund} and
 * {@link #dashboardRefund}; what a customer's bank does by {@link #dispute} and {@link #closeDispute}.
 * Each returns the webhook event Stripe would send, signed for real (HMAC-SHA256 with
 * {@link #WEBHOOK_SECRET}, the {@code Stripe-Signature} format that stripe-java's {@code Webhook}
 * verifies). The local API server serves the pay page that calls them. Refunds and expiries made
 * through the API ({@code POST /v1/refunds}, {@code POST /v1/checkout/sessions/{id}/expire}) send
 * their event ({@code charge.refunded}, {@code checkout.session.expired}) by themselves, a moment
 * after the answer, to the endpoint given to {@link #sendWebhooksTo}, as Stripe does.
 */
public final class StripeStandIn implements AutoCloseable {
    /** The key the functions use locally; the stand-in refuses any other, as Stripe would. */
    public static final String SECRET_KEY = "sk_test_local_stand_in_0000000000000000";
    /** Not a secret: it signs events for the local webhook only. */
    public static final String WEBHOOK_SECRET = "whsec_local_stand_in_0000000000000000";
    /** The API version stripe-java 33.3.0 speaks, stamped on events as Stripe does. */
    public static final String API_VERSION = "2026-07-29.dahlia";
    static final String PAY_PATH = "/_local/stripe/pay/";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    /** How the customer pays on the page: at once by card, or by a bank debit that settles later. */
    public enum PaymentMethod { CARD, BANK_DEBIT }

    /** What the customer types on the payment page. */
    public record Customer(String name, String email, String line1, String line2, String postalCode, String city,
                           String state, String country) {
        public static final Customer SAMPLE = new Customer("Ada Lovelace", "ada@example.com", "12 Harbor Road", null,
                "04101", "Portland", "ME", "US");

        public Customer withEmail(String newEmail) {
            return new Customer(name, newEmail, line1, line2, postalCode, city, state, country);
        }
    }

    /** A webhook delivery: the exact body and the {@code Stripe-Signature} header made for it. */
    public record SignedEvent(String id, String type, String payload, String signature) {
    }

    /** A Stripe API error: status, code and message as Stripe's JSON error body carries them. */
    static final class StripeError extends RuntimeException {
        final int status;
        final String code;
        final String param;

        String type;

        StripeError(int status, String code, String message, String param) {
            super(message);
            this.status = status;
            this.code = code;
            this.param = param;
        }

        /** Stripe's {@code idempotency_error} rather than {@code invalid_request_error}. */
        StripeError idempotency() {
            this.type = "idempotency_error";
            return this;
        }
    }

    record Line(String id, String name, String description, List<String> images, Map<String, String> productMetadata,
                String priceId, String productId, long unitAmount, long quantity, String taxCode) {
        long total() {
            return unitAmount * quantity;
        }
    }

    /** The stand-in's record of one Checkout Session, changed by the customer's actions. */
    static final class Session {
        final String id;
        final long created;
        final long expiresAt;
        final String currency;
        final String customerEmail;
        final String clientReferenceId;
        final Map<String, String> metadata;
        final String successUrl;
        final String cancelUrl;
        final List<Line> lines;
        final String shippingName;
        final long shippingAmount;
        final String shippingRateId;
        final List<String> allowedCountries;
        final String billingAddressCollection;
        final String url;
        /** automatic_tax[enabled] and allow_promotion_codes as the create request set them. */
        boolean automaticTax;
        Boolean allowPromotionCodes;
        String status = "open";
        String paymentStatus = "unpaid";
        PaymentMethod method;
        Customer customer;
        String paymentIntentId;
        String chargeId;
        CreateRequest request;

        Session(String id, long created, long expiresAt, String currency, String customerEmail, String clientReferenceId,
                Map<String, String> metadata, String successUrl, String cancelUrl, List<Line> lines, String shippingName,
                long shippingAmount, List<String> allowedCountries, String billingAddressCollection, String url) {
            this.id = id;
            this.created = created;
            this.expiresAt = expiresAt;
            this.currency = currency;
            this.customerEmail = customerEmail;
            this.clientReferenceId = clientReferenceId;
            this.metadata = Map.copyOf(metadata);
            this.successUrl = successUrl;
            this.cancelUrl = cancelUrl;
            this.lines = List.copyOf(lines);
            this.shippingName = shippingName;
            this.shippingAmount = shippingAmount;
            this.shippingRateId = shippingName == null ? null : newId("shr_", 24);
            this.allowedCountries = List.copyOf(allowedCountries);
            this.billingAddressCollection = billingAddressCollection;
            this.url = url;
        }

        long subtotal() {
            return lines.stream().mapToLong(Line::total).sum();
        }

        long total() {
            return subtotal() + shippingAmount;
        }
    }

    static final class Charge {
        final String id;
        final String paymentIntentId;
        final long amount;
        final String currency;
        final long created;
        final String method;
        long amountRefunded;

        Charge(String id, String paymentIntentId, long amount, String currency, long created, String method) {
            this.id = id;
            this.paymentIntentId = paymentIntentId;
            this.amount = amount;
            this.currency = currency;
            this.created = created;
            this.method = method;
        }
    }

    /** A refund: of a charge, by the API or in the Dashboard. */
    static final class Refund {
        final String id;
        final String chargeId;
        final String paymentIntentId;
        final long amount;
        final String currency;
        final String reason;
        final long created;
        final Map<String, String> metadata;
        /** succeeded until {@link #failRefund} makes it failed, with Stripe's failure_reason. */
        volatile String status = "succeeded";
        volatile String failureReason;

        Refund(String id, String chargeId, String paymentIntentId, long amount, String currency, String reason,
               long created, Map<String, String> metadata) {
            this.id = id;
            this.chargeId = chargeId;
            this.paymentIntentId = paymentIntentId;
            this.amount = amount;
            this.currency = currency;
            this.reason = reason;
            this.created = created;
            this.metadata = Map.copyOf(metadata);
        }
    }

    /** A dispute of a charge, opened by the customer's bank. */
    static final class Dispute {
        final String id;
        final String chargeId;
        final String paymentIntentId;
        final long amount;
        final String currency;
        final String reason;
        final long created;
        final long dueBy;
        String status = "needs_response";

        Dispute(String id, String chargeId, String paymentIntentId, long amount, String currency, String reason,
                long created, long dueBy) {
            this.id = id;
            this.chargeId = chargeId;
            this.paymentIntentId = paymentIntentId;
            this.amount = amount;
            this.currency = currency;
            this.reason = reason;
            this.created = created;
            this.dueBy = dueBy;
        }
    }

    /** An idempotent request remembered: what it asked for, and what it made. */
    private record Idempotent(String parameters, String refundId) {
    }

    /** Stripe's refund reasons. */
    static final java.util.Set<String> REFUND_REASONS = java.util.Set.of("duplicate", "fraudulent", "requested_by_customer");
    /** How long a card network gives a merchant to answer a dispute here: a week. */
    static final long EVIDENCE_WINDOW_SECONDS = 7 * 24 * 60 * 60;

    private final Map<String, Refund> refunds = new ConcurrentHashMap<>();
    private final Map<String, Idempotent> refundsByIdempotencyKey = new ConcurrentHashMap<>();
    private final Map<String, Idempotent> expiriesByIdempotencyKey = new ConcurrentHashMap<>();
    private final List<ExpireRequest> expiredByApi = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, Dispute> disputes = new ConcurrentHashMap<>();
    private final java.util.concurrent.ExecutorService webhookSender = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "stripe-stand-in-webhooks");
        thread.setDaemon(true);
        return thread;
    });
    private volatile java.util.function.Consumer<SignedEvent> webhookEndpoint;
    private final Clock clock;
    private final Supplier<URI> payPageBase;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, String> sessionsByIdempotencyKey = new ConcurrentHashMap<>();
    private final Map<String, Charge> charges = new ConcurrentHashMap<>();
    /** Customer objects (id → email): the shop never creates them, but an owner may in the Dashboard. */
    private final Map<String, String> customers = new ConcurrentHashMap<>();
    private final WireMockServer server;
    private volatile Outage outage = Outage.NONE;

    private StripeStandIn(Clock clock, Supplier<URI> payPageBase) {
        this.clock = clock;
        this.payPageBase = payPageBase;
        this.server = new WireMockServer(WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .disableRequestJournal()
                .gzipDisabled(true)
                .notifier(new ConsoleNotifier(false))
                .extensions(new StripeApi(this)));
    }

    /**
     * Starts on a free port of 127.0.0.1. Created sessions' {@code url} opens
     * {@code <payPageBase>/_local/stripe/pay/<id>}, the page the local API server serves.
     */
    public static StripeStandIn start(Clock clock, Supplier<URI> payPageBase) {
        StripeStandIn standIn = new StripeStandIn(clock, payPageBase);
        standIn.server.start();
        standIn.server.stubFor(WireMock.any(WireMock.anyUrl())
                .willReturn(WireMock.aResponse().withTransformers(StripeApi.NAME)));
        return standIn;
    }

    /** What stripe-java's {@code StripeClient.builder().setApiBase(...)} takes. */
    public URI apiBase() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** How the API fails while Stripe is down. */
    public enum Outage {
        NONE,
        /** Every call answers 500 with Stripe's {@code api_error} body. */
        SERVER_ERRORS,
        /** Every call's connection is reset before an answer: the network between the shop and Stripe broke. */
        CONNECTION_RESETS,
        /** Every call waits {@link #HANG_MILLIS} before answering: longer than any client of the shop waits. */
        HANGING
    }

    /** How long a call waits while {@link Outage#HANGING}. */
    public static final int HANG_MILLIS = 20_000;

    /** While true, every API call answers 500 as a Stripe outage would. */
    public void failing(boolean fail) {
        outage(fail ? Outage.SERVER_ERRORS : Outage.NONE);
    }

    public void outage(Outage kind) {
        this.outage = kind;
    }

    Outage outage() {
        return outage;
    }

    long now() {
        return clock.instant().getEpochSecond();
    }

    String payUrl(String sessionId) {
        String base = payPageBase.get().toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + PAY_PATH + sessionId;
    }

    /** A customer object with this email, as an owner might create one in the Dashboard; returns its id. */
    public String createCustomer(String email) {
        String id = newId("cus_", 14);
        customers.put(id, email);
        return id;
    }

    /** The ids of the customer objects that exist (erasure deletes them). */
    public java.util.Set<String> customerIds() {
        return java.util.Set.copyOf(customers.keySet());
    }

    /** Stripe's email filter: exact and case-sensitive. */
    List<String> customersWithEmail(String email) {
        return customers.entrySet().stream().filter(c -> c.getValue().equals(email)).map(Map.Entry::getKey).sorted().toList();
    }

    boolean deleteCustomer(String id) {
        return customers.remove(id) != null;
    }

    /** How many Checkout Sessions were created: a test's proof that a rejected request opened none. */
    public int sessionCount() {
        return sessions.size();
    }

    /** A read-only look at a session for the pay page: line names, amounts, status. */
    public Optional<SessionView> session(String id) {
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        synchronized (session) {
            return Optional.of(new SessionView(session.id, session.status, session.paymentStatus,
                    session.method == null ? null : session.method.name(), session.currency,
                    session.lines.stream().map(l -> new SessionView.Item(l.name, l.quantity, l.total())).toList(),
                    session.shippingName, session.shippingAmount, session.total(), session.customerEmail,
                    session.successUrl, session.cancelUrl, session.allowedCountries, session.metadata));
        }
    }

    /**
     * What the shop sent to create a session: the form's fields as Stripe reads them
     * ({@code line_items[0][price_data][unit_amount]} → {@code 18500}) and its
     * {@code Idempotency-Key} header (null when none was sent).
     */
    public record CreateRequest(Map<String, String> form, String idempotencyKey) {
        public CreateRequest {
            form = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(form));
        }
    }

    /** The request that created the session {@code id} (a repeat with the same idempotency key made none). */
    public Optional<CreateRequest> createRequest(String id) {
        return Optional.ofNullable(sessions.get(id)).map(session -> {
            synchronized (session) {
                return session.request;
            }
        });
    }

    /**
     * The commerce options a session was created with: automatic tax, promotion codes, and each
     * line's product tax code (null where none was sent), in line order.
     */
    public Optional<CommerceOptions> commerceOptions(String id) {
        Session session = sessions.get(id);
        return session == null ? Optional.empty() : Optional.of(new CommerceOptions(session.automaticTax,
                Boolean.TRUE.equals(session.allowPromotionCodes),
                session.lines.stream().map(Line::taxCode).collect(java.util.stream.Collectors.toList())));
    }

    /** See {@link #commerceOptions}. */
    public record CommerceOptions(boolean automaticTax, boolean allowPromotionCodes, List<String> taxCodes) {}

    /** A session as the pay page shows it. Amounts in minor units. */
    public record SessionView(String id, String status, String paymentStatus, String paymentMethod, String currency,
                              List<Item> items, String shippingName, long shippingAmount, long total,
                              String customerEmail, String successUrl, String cancelUrl, List<String> allowedCountries,
                              Map<String, String> metadata) {
        public record Item(String name, long quantity, long amount) {
        }

        /** The success URL with {CHECKOUT_SESSION_ID} filled in, as Stripe redirects. */
        public String successRedirect() {
            return successUrl.replace("{CHECKOUT_SESSION_ID}", id);
        }
    }

    // ---- the customer's actions on the hosted page; each returns the event Stripe would send ----

    /** The customer pays: by card the money is there at once, by bank debit it comes (or not) later. */
    public SignedEvent pay(String sessionId, PaymentMethod method, Customer customer) {
        Session session = open(sessionId);
        synchronized (session) {
            requireStatus(session, "open");
            if (!session.allowedCountries.isEmpty() && !session.allowedCountries.contains(customer.country())) {
                throw new StripeError(400, "shipping_country_not_allowed",
                        "This shop does not ship to " + customer.country() + ".", "country");
            }
            session.customer = customer.email() == null && session.customerEmail != null
                    ? customer.withEmail(session.customerEmail) : customer;
            session.method = method;
            session.status = "complete";
            session.paymentIntentId = newId("pi_", 24);
            if (method == PaymentMethod.CARD) {
                settle(session);
            }
            return event("checkout.session.completed", StripeJson.session(this, session, false));
        }
    }

    /** A bank debit settles: checkout.session.async_payment_succeeded. */
    public SignedEvent succeedPayment(String sessionId) {
        Session session = open(sessionId);
        synchronized (session) {
            requireDelayedAndUnpaid(session);
            settle(session);
            return event("checkout.session.async_payment_succeeded", StripeJson.session(this, session, false));
        }
    }

    /** A bank debit bounces: checkout.session.async_payment_failed. */
    public SignedEvent failPayment(String sessionId) {
        Session session = open(sessionId);
        synchronized (session) {
            requireDelayedAndUnpaid(session);
            session.method = null; // nothing more can happen to this payment
            return event("checkout.session.async_payment_failed", StripeJson.session(this, session, false));
        }
    }

    /** The session runs out without payment: checkout.session.expired. */
    public SignedEvent expire(String sessionId) {
        Session session = open(sessionId);
        synchronized (session) {
            requireStatus(session, "open");
            session.status = "expired";
            return event("checkout.session.expired", StripeJson.session(this, session, false));
        }
    }

    /**
     * POST /v1/checkout/sessions/{id}/expire: Stripe expires only an {@code open} session and
     * answers any other (complete, or expired already) with a 400 {@code invalid_request_error}
     * (the message here is the stand-in's own words: callers read the status and type, as
     * stripe-java's {@code InvalidRequestException}). The expired session is the answer, and its {@code checkout.session.expired} event follows
     * it to the webhook endpoint. A repeat with the same {@code Idempotency-Key} gets the first
     * answer again (and no second event); the key used for another session or with parameters is
     * refused, as Stripe refuses a key reused with other parameters.
     */
    Map<String, Object> expireByApi(String sessionId, String idempotencyKey, String parameters) {
        String request = sessionId + "?" + (parameters == null ? "" : parameters);
        if (idempotencyKey != null) {
            Idempotent earlier = expiriesByIdempotencyKey.get(idempotencyKey);
            if (earlier != null) {
                if (!earlier.parameters().equals(request)) {
                    throw new StripeError(400, "idempotency_key_in_use", "Keys for idempotent requests can only be used"
                            + " with the same parameters they were first used with.", null).idempotency();
                }
                Session replayed = open(sessionId);
                synchronized (replayed) {
                    return StripeJson.session(this, replayed, false);
                }
            }
        }
        Session session = open(sessionId);
        SignedEvent event;
        Map<String, Object> answer;
        synchronized (session) {
            if (idempotencyKey != null && expiriesByIdempotencyKey.containsKey(idempotencyKey)) {
                return expireByApi(sessionId, idempotencyKey, parameters); // the same key raced this call
            }
            if (!"open".equals(session.status)) {
                throw new StripeError(400, null,
                        "Only Checkout Sessions with a status in [\"open\"] can be expired.", null);
            }
            session.status = "expired";
            expiredByApi.add(new ExpireRequest(sessionId, idempotencyKey));
            answer = StripeJson.session(this, session, false);
            event = event("checkout.session.expired", answer);
            if (idempotencyKey != null) {
                expiriesByIdempotencyKey.put(idempotencyKey, new Idempotent(request, null));
            }
        }
        sendLater(event);
        return answer;
    }

    /** A session expired through the API, and the {@code Idempotency-Key} the call carried (null: none). */
    public record ExpireRequest(String sessionId, String idempotencyKey) {}

    /** The sessions expired through the API so far, in order: a test's view of what the shop ended. */
    public List<ExpireRequest> expiredByApi() {
        return List.copyOf(expiredByApi);
    }

    /** The shop refunds what is left of the payment in the Dashboard: charge.refunded. */
    public SignedEvent refund(String sessionId) {
        return dashboardRefund(sessionId, null);
    }

    /**
     * The owner refunds {@code amount} (null: what is left) in the Stripe Dashboard, not through the
     * shop: a refund without the shop's metadata. Returns the charge.refunded Stripe sends for it.
     */
    public SignedEvent dashboardRefund(String sessionId, Long amount) {
        Session session = open(sessionId);
        String chargeId;
        synchronized (session) {
            if (session.chargeId == null) {
                throw new StripeError(400, "charge_not_paid", "This session has no payment to refund.", null);
            }
            chargeId = session.chargeId;
        }
        Refund refund = refundCharge(charges.get(chargeId), amount, "requested_by_customer", Map.of());
        return chargeRefunded(refund);
    }

    /** Where Stripe sends the events of API calls (the refunds' charge.refunded): the local webhook. */
    public void sendWebhooksTo(java.util.function.Consumer<SignedEvent> endpoint) {
        this.webhookEndpoint = endpoint;
    }

    /** The refunds of a session's payment, oldest first: a test's view of what Stripe holds. */
    public List<RefundView> refunds(String sessionId) {
        Session session = open(sessionId);
        String paymentIntent;
        synchronized (session) {
            paymentIntent = session.paymentIntentId;
        }
        return refunds.values().stream().filter(r -> r.paymentIntentId.equals(paymentIntent))
                .sorted(java.util.Comparator.comparingLong((Refund r) -> r.created).thenComparing(r -> r.id))
                .map(r -> new RefundView(r.id, r.amount, r.currency, r.reason, r.metadata)).toList();
    }

    /** All refunds made so far: a test's proof that a refused request refunded nothing. */
    public int refundCount() {
        return refunds.size();
    }

    public record RefundView(String id, long amount, String currency, String reason, Map<String, String> metadata) {
    }

    /**
     * The card's bank sends a refund back (the card was closed, say), as Stripe does days after it
     * was made: the refund {@code failed} with {@code failureReason} (Stripe's failure_reason), its
     * amount no longer counted in the charge's {@code amount_refunded}. Returns the
     * charge.refund.updated Stripe sends for it; a refund failed already is not failed again.
     */
    public SignedEvent failRefund(String refundId, String failureReason) {
        Refund refund = refunds.get(refundId);
        if (refund == null) {
            throw new StripeError(404, "resource_missing", "No such refund: '" + refundId + "'", "refund");
        }
        Charge charge = charges.get(refund.chargeId);
        synchronized (charge) {
            if (!"failed".equals(refund.status)) {
                refund.status = "failed";
                refund.failureReason = failureReason;
                charge.amountRefunded -= refund.amount;
            }
            return event("charge.refund.updated", StripeJson.refund(refund));
        }
    }

    /** The customer's bank disputes the payment of a session: charge.dispute.created, evidence due in a week. */
    public SignedEvent dispute(String sessionId, String reason) {
        Session session = open(sessionId);
        synchronized (session) {
            if (session.chargeId == null) {
                throw new StripeError(400, "charge_not_paid", "This session has no payment to dispute.", null);
            }
            Charge charge = charges.get(session.chargeId);
            Dispute dispute = new Dispute(newId("du_", 24), charge.id, charge.paymentIntentId, charge.amount,
                    charge.currency, reason, now(), now() + EVIDENCE_WINDOW_SECONDS);
            disputes.put(dispute.id, dispute);
            return event("charge.dispute.created", StripeJson.dispute(dispute));
        }
    }

    /** The bank decides: charge.dispute.closed, won or lost. */
    public SignedEvent closeDispute(String disputeId, boolean won) {
        Dispute dispute = disputes.get(disputeId);
        if (dispute == null) {
            throw new StripeError(404, "resource_missing", "No such dispute: '" + disputeId + "'", "dispute");
        }
        synchronized (dispute) {
            dispute.status = won ? "won" : "lost";
            return event("charge.dispute.closed", StripeJson.dispute(dispute));
        }
    }

    /** The dispute's id from its event, for the next step of a test. */
    public static String objectId(SignedEvent event) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(event.payload())
                    .path("data").path("object").path("id").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Any event, signed the way Stripe signs: for types the shop does not handle, and for tests. */
    public SignedEvent event(String type, Map<String, Object> object) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", newId("evt_", 24));
        event.put("object", "event");
        event.put("api_version", API_VERSION);
        event.put("created", now());
        event.put("data", Map.of("object", object));
        event.put("livemode", false);
        event.put("pending_webhooks", 1);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("id", newId("req_", 14));
        request.put("idempotency_key", null);
        event.put("request", request);
        event.put("type", type);
        String payload = StripeJson.write(event, true);
        return new SignedEvent((String) event.get("id"), type, payload, signature(payload, WEBHOOK_SECRET, now()));
    }

    /** {@code t=<timestamp>,v1=<hex HMAC-SHA256(secret, "<timestamp>.<payload>")>}, Stripe's scheme. */
    public static String signature(String payload, String secret, long timestamp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + payload).getBytes(StandardCharsets.UTF_8));
            return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- what the API side (StripeApi) needs ----

    /**
     * POST /v1/refunds: of a payment intent's charge, {@code amount} or what is left, once per
     * idempotency key (the same key with other parameters is refused, as Stripe does).
     */
    Refund createRefund(String paymentIntentId, Long amount, String reason, Map<String, String> metadata,
                        String idempotencyKey, String parameters) {
        if (idempotencyKey != null) {
            Idempotent earlier = refundsByIdempotencyKey.get(idempotencyKey);
            if (earlier != null) {
                if (!earlier.parameters().equals(parameters)) {
                    throw new StripeError(400, "idempotency_key_in_use", "Keys for idempotent requests can only be used"
                            + " with the same parameters they were first used with.", null).idempotency();
                }
                return refunds.get(earlier.refundId());
            }
        }
        Charge charge = charges.values().stream().filter(c -> c.paymentIntentId.equals(paymentIntentId)).findFirst()
                .orElseThrow(() -> new StripeError(404, "resource_missing",
                        "No such payment_intent: '" + paymentIntentId + "'", "payment_intent"));
        synchronized (this) {
            if (idempotencyKey != null && refundsByIdempotencyKey.containsKey(idempotencyKey)) {
                return createRefund(paymentIntentId, amount, reason, metadata, idempotencyKey, parameters);
            }
            Refund refund = refundCharge(charge, amount, reason, metadata);
            if (idempotencyKey != null) {
                refundsByIdempotencyKey.put(idempotencyKey, new Idempotent(parameters, refund.id));
            }
            sendLater(chargeRefunded(refund));
            return refund;
        }
    }

    /** An API call's event, to the webhook endpoint (when one is set) a moment after the call's answer. */
    private void sendLater(SignedEvent event) {
        var endpoint = webhookEndpoint;
        if (endpoint != null) {
            // After the answer, as Stripe does: the webhook may still overtake the caller's own write.
            webhookSender.submit(() -> {
                try {
                    Thread.sleep(50);
                    endpoint.accept(event);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    System.err.println("stripe stand-in: webhook not delivered: " + e);
                }
            });
        }
    }

    Optional<Refund> findRefund(String id) {
        return Optional.ofNullable(refunds.get(id));
    }

    List<Refund> refundsOf(String chargeId, String paymentIntentId) {
        return refunds.values().stream()
                .filter(r -> (chargeId == null || r.chargeId.equals(chargeId))
                        && (paymentIntentId == null || r.paymentIntentId.equals(paymentIntentId)))
                .sorted(java.util.Comparator.comparingLong((Refund r) -> -r.created).thenComparing(r -> r.id))
                .toList();
    }

    Optional<Dispute> findDispute(String id) {
        return Optional.ofNullable(disputes.get(id));
    }

    private Refund refundCharge(Charge charge, Long amount, String reason, Map<String, String> metadata) {
        synchronized (charge) {
            long left = charge.amount - charge.amountRefunded;
            if (left <= 0) {
                throw new StripeError(400, "charge_already_refunded", "Charge " + charge.id + " has already been refunded.",
                        null);
            }
            long refunded = amount == null ? left : amount;
            if (refunded <= 0) {
                throw new StripeError(400, "parameter_invalid_integer", "Invalid positive integer", "amount");
            }
            if (refunded > left) {
                throw new StripeError(400, "amount_too_large", "Refund amount (" + refunded + ") is greater than"
                        + " unrefunded amount on charge (" + left + ")", "amount");
            }
            charge.amountRefunded += refunded;
            Refund refund = new Refund(newId("re_", 24), charge.id, charge.paymentIntentId, refunded, charge.currency,
                    reason, now(), metadata);
            refunds.put(refund.id, refund);
            return refund;
        }
    }

    private SignedEvent chargeRefunded(Refund refund) {
        Charge charge = charges.get(refund.chargeId);
        synchronized (charge) {
            return event("charge.refunded", StripeJson.charge(charge));
        }
    }

    Session create(Session session, String idempotencyKey) {
        if (idempotencyKey != null) {
            String existing = sessionsByIdempotencyKey.putIfAbsent(idempotencyKey, session.id);
            if (existing != null) {
                return sessions.get(existing);
            }
        }
        sessions.put(session.id, session);
        return session;
    }

    Optional<Session> find(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    List<Session> byPaymentIntent(String paymentIntentId) {
        List<Session> found = new ArrayList<>();
        for (Session session : sessions.values()) {
            synchronized (session) {
                if (paymentIntentId.equals(session.paymentIntentId)) {
                    found.add(session);
                }
            }
        }
        return found;
    }

    Optional<Charge> charge(String id) {
        return Optional.ofNullable(charges.get(id));
    }

    static String newId(String prefix, int length) {
        StringBuilder id = new StringBuilder(prefix);
        for (int i = 0; i < length; i++) {
            id.append(ID_CHARS[RANDOM.nextInt(ID_CHARS.length)]);
        }
        return id.toString();
    }

    private void settle(Session session) {
        session.paymentStatus = "paid";
        Charge charge = new Charge(newId("ch_", 24), session.paymentIntentId, session.total(), session.currency, now(),
                session.method == PaymentMethod.CARD ? "card" : "us_bank_account");
        charges.put(charge.id, charge);
        session.chargeId = charge.id;
    }

    private Session open(String id) {
        Session session = sessions.get(id);
        if (session == null) {
            throw new StripeError(404, "resource_missing", "No such checkout.session: '" + id + "'", "session");
        }
        return session;
    }

    private static void requireStatus(Session session, String status) {
        if (!session.status.equals(status)) {
            throw new StripeError(400, "checkout_session_not_" + status,
                    "This Checkout Session is " + session.status + ", not " + status + ".", null);
        }
    }

    private static void requireDelayedAndUnpaid(Session session) {
        if (!"complete".equals(session.status) || session.method != PaymentMethod.BANK_DEBIT
                || !"unpaid".equals(session.paymentStatus)) {
            throw new StripeError(400, "payment_not_pending", "This session has no pending bank payment.", null);
        }
    }

    @Override
    public void close() {
        webhookSender.shutdownNow();
        server.stop();
    }
}
