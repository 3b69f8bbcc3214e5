package shop.privacy.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import shop.core.email.EmailAddress;
import shop.core.errors.TooManyRequestsException;
import shop.core.mail.Suppression;
import shop.core.errors.InvalidInputException;
import shop.core.logging.Log;
import shop.core.privacy.DeactivatedAddresses;
import shop.core.ratelimit.RateLimiter;
import shop.core.retention.RetentionSchedule;
import shop.core.security.Tokens;
import shop.newsletter.ConsentProof;
import shop.newsletter.LinkToken;
import shop.newsletter.RequestOrigin;
import shop.newsletter.Subscriber;
import shop.newsletter.SubscriberStore;
import shop.privacy.Correction;
import shop.privacy.OrderRecords;
import shop.privacy.Outcome;
import shop.privacy.PrivacyRequest;
import shop.privacy.RequestIntake;
import shop.privacy.RequestRunner;
import shop.privacy.RequestType;

/**
 * What a signed-in customer sees and does. Every change of personal data is a privacy request,
 * recorded and run by the same intake and runner as an emailed-link request: the same audit
 * trail, result mail, owner's notice and due dates. The sign-in is the proof of the mailbox.
 */
public final class AccountService {
    static final String PROOF = "signed in to the account with a one-time code mailed to the address";
    static final String SOURCE = "account";
    /** Each change mails the customer and the owner: a signed-in browser must not flood either. */
    static final int CHANGES_PER_ADDRESS_PER_HOUR = 20;
    private static final List<String> UNSHIPPED = List.of("PENDING_PAYMENT", "PAID");

    private final SignInService signIn;
    private final RequestIntake intake;
    private final RequestRunner runner;
    private final OrderRecords orders;
    private final SubscriberStore newsletter;
    private final DeactivatedAddresses deactivated;
    private final RateLimiter rateLimiter;
    private final String policyVersion;
    private final Clock clock;

    public AccountService(SignInService signIn, RequestIntake intake, RequestRunner runner, OrderRecords orders,
                          SubscriberStore newsletter, DeactivatedAddresses deactivated, RateLimiter rateLimiter,
                          String policyVersion, Clock clock) {
        this.signIn = signIn;
        this.intake = intake;
        this.runner = runner;
        this.orders = orders;
        this.newsletter = newsletter;
        this.deactivated = deactivated;
        this.rateLimiter = rateLimiter;
        this.policyVersion = policyVersion;
        this.clock = clock;
    }

    /** The account page: the address, its orders newest first, the newsletter and whether checkout is open to it. */
    public Map<String, Object> overview(AccountSession session) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Map<String, Object> order : orders.find(session.email()).orders()) {
            list.add(orderView(order));
        }
        list.sort((a, b) -> String.valueOf(b.get("createdAt")).compareTo(String.valueOf(a.get("createdAt"))));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("email", session.email().value());
        view.put("newsletter", newsletterStatus(session));
        view.put("deactivated", deactivated.deactivated(session.email()));
        view.put("orders", list);
        return view;
    }

    /**
     * Subscribes through the newsletter's own store, confirmed at once: the signed-in session proves
     * the mailbox as the confirmation link would, and the consent proof records it so. Unsubscribing
     * is a privacy request like the one the inbound "Unsubscribe" mail makes.
     */
    public Map<String, Object> newsletter(AccountSession session, boolean subscribe, RequestOrigin origin,
                                          String sourceIp, String baseUrl) {
        if (!subscribe) {
            Done done = run(session, RequestType.UNSUBSCRIBE, Optional.empty(), sourceIp, baseUrl);
            return Map.of("newsletter", newsletterStatus(session), "requestId", done.requestId());
        }
        limit(session);
        Optional<Subscriber> existing = newsletter.find(session.addressHash());
        if (existing.isEmpty() || existing.get().status() != Subscriber.Status.CONFIRMED) {
            Instant now = clock.instant();
            ConsentProof given = ConsentProof.given(now, policyVersion, SOURCE, origin);
            newsletter.savePending(new Subscriber(session.addressHash(), session.email(), Subscriber.Status.PENDING, given),
                    Instant.ofEpochSecond(RetentionSchedule.NEWSLETTER_PENDING.expiresAt(now)),
                    // As a signup through the form: the subscriber carries an unsubscribe token's hash.
                    new LinkToken(Tokens.hash(Tokens.newToken()), LinkToken.Purpose.UNSUBSCRIBE, session.addressHash(),
                            Instant.ofEpochSecond(RetentionSchedule.NEWSLETTER_UNSUBSCRIBE_TOKEN.expiresAt(now)), null, now));
            // A signup made and proven now is fresh: it lifts an earlier unsubscribe, erasure or complaint.
            Optional<Suppression> earlier = newsletter.suppression(session.addressHash())
                    .filter(suppression -> suppression.liftedBySignupRequestedAt(now));
            // A suppression recorded in the very moment (a complaint) stands; the answer shows the status as it is.
            if (newsletter.confirm(session.addressHash(), given.confirmed(now, origin), earlier)
                    == SubscriberStore.Confirmation.CONFIRMED) {
                Log.info("newsletter_confirmed", Map.of("address", session.addressHash(), "source", SOURCE));
            }
        }
        return Map.of("newsletter", newsletterStatus(session));
    }

    /** A new name and/or shipping address on every order of the address that has not shipped. */
    public Done correct(AccountSession session, Correction correction, String sourceIp, String baseUrl) {
        return run(session, RequestType.CORRECT, Optional.of(correction), sourceIp, baseUrl);
    }

    /**
     * Moves the account to a new address once the code mailed there has come back: the orders carry
     * the new address (a correct request, whose result mail goes to the old address), and every
     * session of the old address ends, on every device, since they belong to it; the person signs
     * in with the new address.
     */
    public Done changeEmail(AccountSession session, EmailAddress newEmail, String code, String sourceIp, String baseUrl) {
        if (newEmail.equals(session.email())) {
            throw new InvalidInputException("email", "That is the account's address already.");
        }
        signIn.proveAddress(session, newEmail, code, sourceIp);
        Done done = run(session, RequestType.CORRECT, Optional.of(Correction.newAddress(newEmail)), sourceIp, baseUrl);
        signIn.endAll(session);
        return done;
    }

    /**
     * The access export, at once: the answer carries its download link (which the result mail
     * repeats). As an emailed-link request does, it covers the visit-log lines of the IP it is
     * made from ({@code sourceIp}), the only one the signed-in person shows to be theirs.
     */
    public Done export(AccountSession session, String sourceIp, String baseUrl) {
        return run(session, RequestType.ACCESS, Optional.empty(), sourceIp, baseUrl);
    }

    /**
     * Erasure; it ends every session of the address (RequestExecutor), and this one directly,
     * since the sessions' index may not show it yet.
     */
    public Done delete(AccountSession session, String confirm, String sourceIp, String baseUrl) {
        confirmed(confirm, "delete");
        Done done = run(session, RequestType.DELETE, Optional.empty(), sourceIp, baseUrl);
        signIn.end(session);
        return done;
    }

    /** No marketing mail, and checkout refuses the address until a reactivation. */
    public Done deactivate(AccountSession session, String confirm, String sourceIp, String baseUrl) {
        confirmed(confirm, "deactivate");
        return run(session, RequestType.OPT_OUT, Optional.empty(), sourceIp, baseUrl);
    }

    public Done reactivate(AccountSession session, String confirm, String sourceIp, String baseUrl) {
        confirmed(confirm, "reactivate");
        return run(session, RequestType.REACTIVATE, Optional.empty(), sourceIp, baseUrl);
    }

    /** A request carried out: its id (in the owner's view and the trail) and what it did. */
    public record Done(String requestId, Outcome outcome) {
        public Map<String, Object> view() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("requestId", requestId);
            view.put("counts", outcome.counts());
            outcome.downloadLink().ifPresent(link -> view.put("download", link));
            return view;
        }
    }

    private Done run(AccountSession session, RequestType type, Optional<Correction> correction, String sourceIp,
                     String baseUrl) {
        limit(session);
        PrivacyRequest request = intake.receiveProven(session.email(), type, correction, SOURCE, sourceIp);
        Outcome outcome = runner.run(request, PROOF, baseUrl);
        return new Done(request.id(), outcome);
    }

    private void limit(AccountSession session) {
        if (!rateLimiter.tryAcquire("account:changes:" + session.addressHash(), CHANGES_PER_ADDRESS_PER_HOUR,
                Duration.ofHours(1))) {
            throw new TooManyRequestsException("Too many changes to this account in the last hour; please try again later.",
                    Duration.ofHours(1));
        }
    }

    /** The confirmation step: the page asks twice, and the API takes the action only with its name. */
    private static void confirmed(String confirm, String action) {
        if (!action.equals(confirm)) {
            throw new InvalidInputException("confirm", "To go ahead, send \"confirm\": \"" + action + "\".");
        }
    }

    private String newsletterStatus(AccountSession session) {
        return newsletter.find(session.addressHash())
                .map(s -> s.status() == Subscriber.Status.CONFIRMED ? "subscribed" : "pending")
                .orElse("not_subscribed");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> orderView(Map<String, Object> order) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("orderNumber", order.get("orderNumber"));
        view.put("status", order.get("status"));
        view.put("createdAt", order.get("createdAt"));
        view.put("currency", order.get("currency"));
        view.put("amountTotal", order.get("amountTotal"));
        List<Map<String, Object>> items = new ArrayList<>();
        if (order.get("items") instanceof List<?> lines) {
            for (Object line : lines) {
                if (line instanceof Map<?, ?> map) {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("name", map.get("name"));
                    item.put("quantity", map.get("quantity"));
                    item.put("amountTotal", map.get("amountTotal"));
                    items.add(item);
                }
            }
        }
        view.put("items", items);
        view.put("name", order.get("customerName"));
        view.put("shippingAddress", order.get("shipping"));
        Object shipment = order.get("shipment");
        if (shipment instanceof Map<?, ?> map) {
            Map<String, Object> tracking = new LinkedHashMap<>();
            tracking.put("carrier", map.get("carrier"));
            tracking.put("trackingNumber", map.get("trackingNumber"));
            tracking.put("trackingUrl", map.get("trackingUrl"));
            tracking.put("shippedAt", map.get("shippedAt"));
            view.put("shipment", tracking);
        } else {
            view.put("shipment", null);
        }
        view.put("correctable", UNSHIPPED.contains(String.valueOf(order.get("status"))) && order.get("fulfilledAt") == null);
        return view;
    }
}
