package shop.privacy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import shop.core.email.EmailAddress;
import shop.core.json.Json;
import shop.core.mail.Suppression;
import shop.core.retention.RetentionSchedule;
import shop.core.security.Tokens;

/**
 * Carries out a verified request against every store that holds personal data, step by step,
 * each step's outcome on the request's trail ({@link RequestSteps}): a request that failed
 * half-way is run again from the step it stopped at. Each step is idempotent too, so one whose
 * line was never written (the function stopped in between) is harmlessly done again.
 */
public final class RequestExecutor {
    /** Identifies the export format; README ("Privacy", "The export") documents it. */
    public static final String EXPORT_SCHEMA = "jewelry-shop/privacy-export/v1";
    /** The count of an unsubscribe or erasure that left a subscription the person asked for after the request. */
    static final String NEWER_SUBSCRIPTION_KEPT = "newerSubscriptionKept";
    private final SubscriberRecords subscribers;
    private final OrderRecords orders;
    private final RequestStore requests;
    private final ExportFiles exports;
    private final PaymentCustomers payments;
    private final VisitLog visits;
    private final AccountSessions sessions;
    private final RequestSteps steps;
    private final Clock clock;

    public RequestExecutor(SubscriberRecords subscribers, OrderRecords orders, RequestStore requests,
                           ExportFiles exports, PaymentCustomers payments, VisitLog visits, AccountSessions sessions,
                           Clock clock) {
        this.visits = visits;
        this.sessions = sessions;
        this.subscribers = subscribers;
        this.orders = orders;
        this.requests = requests;
        this.exports = exports;
        this.payments = payments;
        this.clock = clock;
        this.steps = new RequestSteps(requests, clock);
    }

    /**
     * {@code trail} is the request's as its run starts, whose {@code step_done} lines say the
     * steps to skip; {@code baseUrl} is where the API is reached, for the download link of an
     * access request.
     */
    public Outcome execute(PrivacyRequest request, EmailAddress email, List<AuditEntry> trail, String baseUrl) {
        return switch (request.type()) {
            // Reads, then the export and its link: one step, done again whole until its result mail is sent.
            case ACCESS -> steps.attempt(request, "export", () -> access(request, email, baseUrl),
                    Store.EXPORTS, Store.PRIVACY_REQUESTS);
            case DELETE -> erase(request, email, trail);
            case CORRECT -> correct(request, email, trail);
            case OPT_OUT -> optOut(request, trail);
            case REACTIVATE -> reactivate(request, trail);
            case UNSUBSCRIBE -> unsubscribe(request, trail);
        };
    }

    private Outcome access(PrivacyRequest request, EmailAddress email, String baseUrl) {
        Instant now = clock.instant();
        Map<String, Object> newsletter = subscribers.export(request.addressHash());
        OrderData orderData = orders.find(email);
        List<Map<String, Object>> privacyRequests = new ArrayList<>();
        List<PrivacyRequest> all = new ArrayList<>(requests.byAddress(request.addressHash()));
        // The index by address is eventually consistent on AWS: this request may not be in it yet.
        if (all.stream().noneMatch(r -> r.id().equals(request.id()))) {
            all.add(request);
        }
        for (PrivacyRequest earlier : all) {
            privacyRequests.add(describe(earlier));
        }

        Map<String, Object> document = new LinkedHashMap<>();
        document.put("schema", EXPORT_SCHEMA);
        document.put("generatedAt", now.toString());
        document.put("requestId", request.id());
        document.put("email", email.value());
        document.put("newsletter", newsletter);
        document.put("orders", orderData.orders());
        document.put("orderMails", orderData.orderMails());
        document.put("checkouts", orderData.checkouts());
        document.put("privacyRequests", privacyRequests);
        Set<String> ips = new TreeSet<>(requests.sourceIps(request.id()));
        List<Map<String, Object>> visitLines = visits.lines(ips);
        Map<String, Object> visitLog = new LinkedHashMap<>();
        visitLog.put("about", "Lines of the visit log (kept 30 days) recorded from the IP addresses this request "
                + "was made and confirmed from: the only IP addresses the request shows to be yours. Lines from "
                + "other addresses you may have used cannot be tied to you and are not included.");
        visitLog.put("sourceIps", List.copyOf(ips));
        visitLog.put("lines", visitLines);
        document.put("visitLog", visitLog);
        document.put("heldElsewhere", List.of(
                "Card details: entered on Stripe's payment page and kept by Stripe, never by the shop.",
                "Mail delivery records: kept by Amazon SES for its own delivery and abuse handling."));

        String key = "exports/" + request.id() + ".json";
        exports.put(key, Json.write(document).getBytes(StandardCharsets.UTF_8));
        String token = Tokens.newToken();
        requests.saveExport(request.id(), new DownloadLink(Tokens.hash(token), request.id(), key,
                Instant.ofEpochSecond(RetentionSchedule.EXPORT_DOWNLOAD_TOKEN.expiresAt(now))));

        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("orders", orderData.orders().size());
        counts.put("orderMails", orderData.orderMails().size());
        counts.put("checkouts", orderData.checkouts().size());
        counts.put("subscriber", newsletter.get("subscriber") == null ? 0 : 1);
        counts.put("linkTokens", newsletter.get("linkTokens") instanceof List<?> tokens ? tokens.size() : 0);
        counts.put("suppression", newsletter.get("suppression") == null ? 0 : 1);
        counts.put("deactivation", newsletter.get("deactivation") == null ? 0 : 1);
        // The request being answered is not something found about the person.
        counts.put("earlierPrivacyRequests", Math.max(0, privacyRequests.size() - 1));
        counts.put("visitLogLines", visitLines.size());
        return new Outcome(List.of(Store.SUBSCRIBERS, Store.ORDERS, Store.CHECKOUTS, Store.PRIVACY_REQUESTS, Store.VISITS,
                Store.EXPORTS),
                counts, Optional.of(baseUrl + "/privacy/exports?token=" + token));
    }

    private Outcome erase(PrivacyRequest request, EmailAddress email, List<AuditEntry> trail) {
        Instant now = clock.instant();
        // Stripe before the orders: the orders name the Stripe customers and the spellings of the
        // address Stripe's exact filter needs, so a run that fails at Stripe must leave them for the next.
        // Stripe's step is run again until the orders' is done: an order paid between the runs may name a new customer.
        steps.run(request, RequestSteps.done(trail, "orders") ? trail : List.of(), "stripe", () -> {
            OrderData orderData = orders.find(email);
            Set<String> spellings = new TreeSet<>(orderData.emailSpellings());
            spellings.add(email.value());
            Set<String> customers = new TreeSet<>(orderData.stripeCustomerIds());
            customers.addAll(payments.findByEmail(spellings));
            return counts("stripeCustomersDeleted", (int) customers.stream().filter(payments::deleteCustomer).count());
        }, Store.STRIPE);

        // The orders recorded by now. One whose payment lands after this pass is a new purchase and
        // keeps its data: the shop must ship it and account for it (README, "Privacy requests").
        steps.run(request, trail, "orders", () -> {
            OrderRecords.Erased anonymised = orders.anonymise(email, now);
            return counts("ordersAnonymised", anonymised.orders().size(),
                    // Of those, paid and still to ship: name and shipping address stay until shipped or refunded in full.
                    "ordersKeepingShippingUntilShipped", anonymised.keptToShip().size());
        }, Store.ORDERS);

        // As of the erasure's verification, as an unsubscribe: a subscription the person asked for since stays.
        steps.run(request, trail, "subscribers", () -> {
            SubscriberRecords.Erased erased = subscribers.erase(request.addressHash(), madeCertainAt(request, trail));
            return erased.newerSubscriptionKept()
                    ? counts("subscriberItemsErased", erased.items(), NEWER_SUBSCRIPTION_KEPT, 1)
                    : counts("subscriberItemsErased", erased.items());
        }, Store.SUBSCRIBERS);
        // Every signed-in session of the address ends: each holds the address, and none may act on it after.
        steps.run(request, trail, "account_sessions",
                () -> counts("accountSessionsEnded", sessions.endAll(request.addressHash())), Store.ACCOUNTS);
        steps.run(request, trail, "visit_log",
                () -> counts("visitLogLinesErased", visits.erase(requests.sourceIps(request.id()))), Store.VISITS);
        steps.run(request, trail, "earlier_requests", () -> earlierRequests(request, now),
                Store.EXPORTS, Store.PRIVACY_REQUESTS);

        // What the request erased in all its runs, each step counted by the run that did it.
        Map<String, Integer> total = doneInAllRuns(request);
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String name : List.of("ordersAnonymised", "ordersKeepingShippingUntilShipped", "stripeCustomersDeleted",
                "subscriberItemsErased", "visitLogLinesErased", "exportsDeleted", "earlierRequestsForgotten",
                "accountSessionsEnded")) {
            counts.put(name, total.getOrDefault(name, 0));
        }
        newerSubscriptionKept(total, counts);
        List<Store> changed = new ArrayList<>();
        changed.add(Store.SUBSCRIBERS); // the suppression entry is written even when nothing else was there
        if (counts.get("ordersAnonymised") > 0) {
            changed.add(Store.ORDERS);
        }
        if (counts.get("stripeCustomersDeleted") > 0) {
            changed.add(Store.STRIPE);
        }
        if (counts.get("visitLogLinesErased") > 0) {
            changed.add(Store.VISITS);
        }
        if (counts.get("exportsDeleted") > 0) {
            changed.add(Store.EXPORTS);
        }
        if (counts.get("exportsDeleted") > 0 || counts.get("earlierRequestsForgotten") > 0) {
            changed.add(Store.PRIVACY_REQUESTS);
        }
        return new Outcome(changed, counts, Optional.empty());
    }

    /** The exports of the address's requests deleted; its other requests forgotten, or expired while waiting for their link. */
    private Map<String, Integer> earlierRequests(PrivacyRequest request, Instant now) {
        int exportsDeleted = 0;
        int requestsForgotten = 0;
        for (PrivacyRequest other : requests.byAddress(request.addressHash())) {
            if (other.exportKey().isPresent()) {
                exports.delete(other.exportKey().get());
                requests.forgetExport(other.id());
                exportsDeleted++;
            }
            // This request's own address is forgotten when it closes, after its result mail.
            if (other.id().equals(request.id())) {
                continue;
            }
            // A request still waiting for its link could no longer be answered: it ends here.
            if (other.status() == RequestStatus.RECEIVED
                    && requests.close(other.id(), RequestStatus.RECEIVED, RequestStatus.EXPIRED, now)) {
                requests.append(other.id(), AuditEntry.of(now, "expired", "the address was erased by request "
                        + request.id(), Store.PRIVACY_REQUESTS));
                requestsForgotten++;
            } else if (other.email().isPresent() || other.correction().isPresent()) {
                requests.forgetPersonalData(other.id());
                requestsForgotten++;
            }
        }
        return counts("exportsDeleted", exportsDeleted, "earlierRequestsForgotten", requestsForgotten);
    }

    private Outcome correct(PrivacyRequest request, EmailAddress email, List<AuditEntry> trail) {
        Correction correction = request.correction()
                .orElseThrow(() -> new IllegalStateException("Correct request " + request.id() + " lost its correction"));
        if (correction.email().isPresent()) {
            steps.run(request, trail, "orders", () -> counts("ordersMovedToNewAddress",
                    orders.changeEmail(email, correction.email().get(), clock.instant()).size()), Store.ORDERS);
            int moved = doneInAllRuns(request).getOrDefault("ordersMovedToNewAddress", 0);
            return new Outcome(moved == 0 ? List.of() : List.of(Store.ORDERS),
                    Map.of("ordersMovedToNewAddress", moved), Optional.empty());
        }
        steps.run(request, trail, "orders", () -> counts("ordersCorrected",
                orders.correct(email, correction, clock.instant()).size()), Store.ORDERS);
        int corrected = doneInAllRuns(request).getOrDefault("ordersCorrected", 0);
        return new Outcome(corrected == 0 ? List.of() : List.of(Store.ORDERS),
                Map.of("ordersCorrected", corrected), Optional.empty());
    }

    private Outcome optOut(PrivacyRequest request, List<AuditEntry> trail) {
        Instant now = clock.instant();
        steps.run(request, trail, "newsletter", () -> unsubscribed(request, trail, Suppression.OPT_OUT), Store.SUBSCRIBERS);
        steps.run(request, trail, "deactivation", () -> {
            subscribers.deactivate(request.addressHash(), request.id(), now);
            return Map.of();
        }, Store.SUBSCRIBERS);
        Map<String, Integer> counts = new LinkedHashMap<>(newsletterCounts(request));
        counts.put("deactivated", 1);
        return new Outcome(List.of(Store.SUBSCRIBERS), counts, Optional.empty());
    }

    private Outcome reactivate(PrivacyRequest request, List<AuditEntry> trail) {
        steps.run(request, trail, "deactivation", () -> counts("reactivated",
                subscribers.reactivate(request.addressHash()) ? 1 : 0), Store.SUBSCRIBERS);
        boolean was = doneInAllRuns(request).getOrDefault("reactivated", 0) > 0;
        return new Outcome(was ? List.of(Store.SUBSCRIBERS) : List.of(), Map.of("reactivated", was ? 1 : 0),
                Optional.empty());
    }

    private Outcome unsubscribe(PrivacyRequest request, List<AuditEntry> trail) {
        steps.run(request, trail, "newsletter", () -> unsubscribed(request, trail, Suppression.UNSUBSCRIBE),
                Store.SUBSCRIBERS);
        return new Outcome(List.of(Store.SUBSCRIBERS), newsletterCounts(request), Optional.empty());
    }

    /**
     * The newsletter step of an unsubscribe or opt-out, as of the moment the person's wish was
     * made certain ({@link #madeCertainAt}), not of this run: a request the owner tries again days
     * later leaves a subscription the person asked for since.
     */
    private Map<String, Integer> unsubscribed(PrivacyRequest request, List<AuditEntry> trail, String reason) {
        return switch (subscribers.unsubscribe(request.addressHash(), madeCertainAt(request, trail), reason)) {
            case REMOVED -> counts("newsletterUnsubscribed", 1);
            case NOT_SUBSCRIBED -> counts("newsletterUnsubscribed", 0);
            case NEWER_SUBSCRIPTION_KEPT -> counts("newsletterUnsubscribed", 0, NEWER_SUBSCRIPTION_KEPT, 1);
        };
    }

    /** What the newsletter step did in all runs; a newer subscription it left is named only when there was one. */
    private Map<String, Integer> newsletterCounts(PrivacyRequest request) {
        Map<String, Integer> done = doneInAllRuns(request);
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("newsletterUnsubscribed", done.getOrDefault("newsletterUnsubscribed", 0));
        newerSubscriptionKept(done, counts);
        return counts;
    }

    /** A newer subscription left by any run is named in {@code counts}, only when there was one. */
    private static void newerSubscriptionKept(Map<String, Integer> done, Map<String, Integer> counts) {
        if (done.getOrDefault(NEWER_SUBSCRIPTION_KEPT, 0) > 0) {
            counts.put(NEWER_SUBSCRIPTION_KEPT, 1);
        }
    }

    /**
     * When the request was verified: its trail's {@code verified} line, written as its first run
     * began (the emailed link confirmed, or at once for a request from the account or an
     * authenticated mail); a retry's claim adds {@code retried}, never another {@code verified}.
     * A request whose {@code verified} line was never written (the function stopped in between)
     * goes by its receipt, the earlier moment, so that it never removes more than was asked.
     */
    static Instant madeCertainAt(PrivacyRequest request, List<AuditEntry> trail) {
        return trail.stream().filter(entry -> entry.event().equals("verified")).map(AuditEntry::at)
                .findFirst().orElse(request.receivedAt());
    }

    private static Map<String, Integer> counts(String name, int n) {
        return Map.of(name, n);
    }

    private static Map<String, Integer> counts(String name, int n, String other, int m) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put(name, n);
        counts.put(other, m);
        return counts;
    }

    private Map<String, Object> describe(PrivacyRequest request) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", request.id());
        item.put("type", request.type().wireName());
        item.put("status", request.status().name().toLowerCase(java.util.Locale.ROOT));
        item.put("source", request.source());
        item.put("receivedAt", request.receivedAt().toString());
        item.put("dueAt", request.dueAt().toString());
        request.email().ifPresent(e -> item.put("email", e.value()));
        request.correction().ifPresent(c -> item.put("correction", c.fields()));
        List<Map<String, Object>> trail = new ArrayList<>();
        for (AuditEntry entry : requests.audit(request.id())) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("at", entry.at().toString());
            line.put("event", entry.event());
            line.put("stores", entry.stores());
            line.put("detail", entry.detail());
            trail.add(line);
        }
        item.put("auditTrail", trail);
        return item;
    }

    /**
     * What the request's steps removed or moved in all its runs: the counts of its trail's
     * {@code step_done} lines ({@link RequestSteps}), summed. A step done again (its line lost with a stopped function,
     * or Stripe's before the orders') finds nothing left of what it removed before, so it adds
     * nothing twice; a line written twice (an append the SDK sent again) is one line, at the same
     * instant with the same counts, and counts once.
     */
    private Map<String, Integer> doneInAllRuns(PrivacyRequest request) {
        Map<String, Integer> total = new LinkedHashMap<>();
        requests.audit(request.id()).stream().filter(entry -> entry.event().equals(RequestSteps.DONE)).distinct()
                .forEach(entry -> Outcome.parseDetail(entry.detail()).forEach((name, n) -> total.merge(name, n, Integer::sum)));
        return total;
    }
}
