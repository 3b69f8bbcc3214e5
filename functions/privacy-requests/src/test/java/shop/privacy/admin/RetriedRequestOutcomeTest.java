package shop.privacy.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static shop.privacy.testing.PrivacyFixture.BASE;
import static shop.privacy.testing.PrivacyFixture.OWNER;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import shop.core.admin.AdminCaller;
import shop.core.email.EmailAddress;
import shop.core.json.Json;
import shop.core.mail.Email;
import shop.core.mail.Suppression;
import shop.privacy.AuditEntry;
import shop.privacy.Correction;
import shop.privacy.PrivacyRequest;
import shop.privacy.RequestFailedException;
import shop.privacy.RequestStatus;
import shop.privacy.RequestType;
import shop.privacy.requests.NewRequest;
import shop.privacy.requests.PrivacyRequestService;
import shop.privacy.testing.InMemoryFailedRequests;
import shop.privacy.testing.PrivacyFixture;
import shop.privacy.testing.RecordingMailer;

/**
 * A request tried again reports what it did in all its runs: the second run finds nothing left of
 * what the first one erased, moved or reactivated, yet the person's result mail, the owner's
 * notice and the trail's {@code carried_out} count it.
 */
class RetriedRequestOutcomeTest {
    private static final AdminCaller OWNER_CALLER = new AdminCaller("owner-sub", "owner-name", Set.of("owners"));
    private static final String IP = "203.0.113.9";
    private static final String ADA = "ada@example.com";

    private PrivacyFixture f;
    private PrivacyRequestService requests;
    private PrivacyAdminService admin;

    @BeforeEach
    void setUp() {
        f = new PrivacyFixture();
        requests = new PrivacyRequestService(f.intake, f.runner, f.requests, f.exports, f.limiter, f.hasher, f.clock);
        admin = new PrivacyAdminService(f.requests, new InMemoryFailedRequests(f.requests), f.runner, f.clock);
    }

    /** Ada: two orders (one paid and still to ship), a newsletter subscription and a Stripe customer. */
    /** {@code token}'s request confirmed while {@code fault} is switched on: its run fails, and the fault is off after. */
    private void confirmFailingWhile(Consumer<Boolean> fault, String token) {
        fault.accept(true);
        try {
            assertThrows(RequestFailedException.class, () -> requests.confirm(token, IP, BASE));
        } finally {
            fault.accept(false);
        }
    }

    /** {@code request} run (as an account's change) while {@code fault} is switched on: it fails, the fault off after. */
    private void runFailingWhile(Consumer<Boolean> fault, PrivacyRequest request) {
        fault.accept(true);
        try {
            assertThrows(RequestFailedException.class, () -> f.runner.run(request, "session", BASE));
        } finally {
            fault.accept(false);
        }
    }

    private void adaIsACustomer() {
        f.orders.add("cs_test_1", ADA, "Ada Lovelace", "PAID");
        f.orders.add("cs_test_2", ADA, "Ada Lovelace", "PAID").put("fulfilledAt", "2026-10-01T10:00:00Z");
        f.subscribers.subscribe(f.hash(ADA), ADA);
        f.payments.byEmail.put(ADA, new ArrayList<>(List.of("cus_ada")));
    }

    @Test
    void anErasureThatFailedAfterItsOrdersWereAnonymisedCountsThemInTheMailOfItsRetry() {
        adaIsACustomer();
        String token = submit("delete");
        // Stripe's customer deleted and the orders anonymised, then the table fails
        confirmFailingWhile(on -> f.subscribers.failingErase = on, token);
        String id = idOf(token);
        assertTrue(f.orders.orders.values().stream().noneMatch(o -> o.containsKey("customerEmail")),
                "the first run anonymised both orders");

        Map<String, Object> answer = admin.retry(OWNER_CALLER, id, BASE);

        assertEquals("completed", answer.get("status"));
        Email result = f.mailer.last(ADA);
        assertEquals("Your privacy request to Test Jewelry is done", result.subject());
        assertTrue(result.text().contains("We erased your personal data: 2 order(s) no longer carry your name"),
                result.text());
        assertTrue(result.text().contains(" 1 of these order(s) are paid and not shipped yet"), result.text());
        String totals = "ordersAnonymised=2 ordersKeepingShippingUntilShipped=1 stripeCustomersDeleted=1"
                + " subscriberItemsErased=1 visitLogLinesErased=0 exportsDeleted=0 earlierRequestsForgotten=0"
                + " accountSessionsEnded=0";
        Email notice = f.mailer.last(OWNER);
        assertTrue(notice.subject().contains("delete request completed"), notice.subject());
        assertTrue(notice.text().contains("Details   " + totals), notice.text());
        assertTrue(notice.text().contains("Stores    SubscribersTable, OrdersTable, Stripe"), notice.text());
        assertTrue(notice.text().contains("1 paid order(s) still to ship keep"), notice.text());
        assertEquals(totals, carriedOut(id).get(carriedOut(id).size() - 1).detail());
        assertEquals(List.of("step=orders ordersAnonymised=2 ordersKeepingShippingUntilShipped=1"),
                steps(id).stream().filter(e -> e.stores().equals(List.of("OrdersTable"))).map(AuditEntry::detail).toList(),
                "the orders' step once, as the first run did it: the retry went on from the subscribers");
        assertEquals(List.of("cus_ada"), f.payments.deleted);
        assertEquals(List.of("step=stripe stripeCustomersDeleted=1"),
                steps(id).stream().filter(e -> e.stores().equals(List.of("Stripe"))).map(AuditEntry::detail).toList());
        assertEquals(1, f.payments.searches.size(), "Stripe is not asked again once the orders are done");
    }

    /**
     * The run's trail says where it stopped: each step done with its counts, the step that failed
     * with its exception's class (no address, no message), and the owner's mail names the step. The
     * owner's view shows those lines; the retry does only the steps left and mails the person once.
     */
    @Test
    void aRunThatFailedHalfWayShowsEachStepsOutcomeAndItsRetryDoesOnlyWhatIsLeft() {
        adaIsACustomer();
        String token = submit("delete");
        confirmFailingWhile(on -> f.subscribers.failingErase = on, token);
        String id = idOf(token);

        List<String> lines = f.requests.audit(id).stream().map(e -> e.event() + " " + e.detail()).toList();
        assertEquals(List.of(
                "step_done step=stripe stripeCustomersDeleted=1",
                "step_done step=orders ordersAnonymised=2 ordersKeepingShippingUntilShipped=1",
                "step_failed step=subscribers exception=java.lang.IllegalStateException",
                "failed step=subscribers exception=java.lang.IllegalStateException"),
                lines.subList(lines.indexOf("verified mailbox proven by the emailed link") + 1, lines.size()));
        assertTrue(f.mailer.to(ADA).stream().noneMatch(m -> m.subject().contains("is done")), "no result yet");
        Email failure = f.mailer.last(OWNER);
        assertTrue(failure.subject().contains("delete request FAILED"), failure.subject());
        assertTrue(failure.text().contains("It failed with IllegalStateException at its step \"subscribers\"."),
                failure.text());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> shown = (List<Map<String, Object>>) admin.open(OWNER_CALLER).get("requests");
        assertEquals(List.of("received", "verification_mailed", "verified", "step_done", "step_done", "step_failed",
                "failed"), trailEvents(shown.get(0)), "the owner sees where it stopped");
        assertFalse(Json.write(shown.get(0).get("trail")).contains("@"), "no address on the trail");

        admin.retry(OWNER_CALLER, id, BASE);

        List<String> after = f.requests.audit(id).stream().map(AuditEntry::event).toList();
        assertEquals(List.of("retried", "step_done", "step_done", "step_done", "step_done", "carried_out",
                "result_mailed", "completed"), after.subList(after.indexOf("retried"), after.size()));
        assertEquals(List.of("stripe", "orders", "subscribers", "account_sessions", "visit_log", "earlier_requests"),
                steps(id).stream().map(e -> e.detail().split(" ")[0].substring("step=".length())).toList(),
                "each step done once, in order");
        assertEquals(1, f.mailer.to(ADA).stream().filter(m -> m.subject().contains("is done")).count());
        assertEquals(1, f.mailer.to(OWNER).stream().filter(m -> m.subject().contains("delete request completed")).count());
    }

    /**
     * The result mail went out, then closing the request failed: tried again, it is closed without a
     * second result mail, and the owner's completion notice goes once.
     */
    @Test
    void aRequestWhoseResultWasMailedIsNotMailedAgainWhenTriedAgain() {
        f.subscribers.subscribe(f.hash(ADA), ADA);
        String token = submit("opt_out");
        confirmFailingWhile(on -> f.requests.failingClose = on, token);
        String id = idOf(token);
        assertEquals(1, f.mailer.to(ADA).stream().filter(m -> m.subject().contains("is done")).count());
        List<String> events = f.requests.audit(id).stream().map(AuditEntry::event).toList();
        assertEquals(List.of("step_done", "step_done", "carried_out", "result_mailed", "step_failed", "failed"),
                events.subList(events.indexOf("verified") + 1, events.size()));

        assertEquals("completed", admin.retry(OWNER_CALLER, id, BASE).get("status"));

        assertEquals(1, f.mailer.to(ADA).stream().filter(m -> m.subject().contains("is done")).count(),
                "no second result mail");
        List<Email> notices = f.mailer.to(OWNER).stream().filter(m -> m.subject().contains("opt_out request")).toList();
        assertEquals(List.of(true, false), notices.stream().map(m -> m.subject().contains("FAILED")).toList(),
                "the failure's notice, then one completion notice");
        assertTrue(notices.get(1).text().contains("Details   newsletterUnsubscribed=1 deactivated=1"), notices.get(1).text());
        assertTrue(f.subscribers.subscribers.isEmpty());
        assertTrue(f.subscribers.deactivated.contains(f.hash(ADA)));
    }

    /**
     * Stripe down: the first run stops before the orders, which still name the Stripe customer and
     * the spelling of the address Stripe's exact filter needs, so the retry deletes both customers.
     */
    @Test
    void anErasureThatFailedAtStripeLeavesTheOrdersThatNameItsCustomersForTheRetry() {
        f.orders.add("cs_test_1", "Ada@Example.com", "Ada Lovelace", "SHIPPED").put("stripeCustomerId", "cus_FromOrder");
        f.payments.byEmail.put("Ada@Example.com", new ArrayList<>(List.of("cus_Spelled")));
        String token = submit("delete");
        confirmFailingWhile(on -> f.payments.failing = on, token);
        assertEquals("Ada@Example.com", f.orders.orders.get("cs_test_1").get("customerEmail"),
                "nothing anonymised before Stripe's customers are gone");

        assertEquals("completed", admin.retry(OWNER_CALLER, idOf(token), BASE).get("status"));

        assertEquals(List.of("cus_FromOrder", "cus_Spelled"), f.payments.deleted.stream().sorted().toList());
        assertFalse(f.orders.orders.get("cs_test_1").containsKey("customerEmail"));
        assertTrue(f.mailer.last(ADA).text().contains("1 order(s) no longer carry"), f.mailer.last(ADA).text());
    }

    /** A run stopped part-way (the function killed) never got to say it failed: its steps' lines say what it did. */
    @Test
    void anErasureWhoseRunStoppedPartWayCountsWhatTheStoppedRunErased() {
        adaIsACustomer();
        String token = submit("delete");
        String id = idOf(token);
        f.requests.transition(id, RequestStatus.RECEIVED, RequestStatus.VERIFIED, f.clock.instant());
        f.requests.append(id, AuditEntry.of(f.clock.instant(), "verified", "link"));
        PrivacyRequest verified = f.requests.find(id).orElseThrow();
        f.subscribers.failingErase = true;
        // The run stops after the orders, at the subscribers: no "failed", no mail, the request left VERIFIED.
        assertThrows(IllegalStateException.class, () -> f.executor.execute(verified, new EmailAddress(ADA),
                f.requests.audit(id), BASE));
        f.subscribers.failingErase = false;
        f.clock.advance(shop.privacy.RequestRunner.STALLED_AFTER);

        assertEquals("completed", admin.retry(OWNER_CALLER, id, BASE).get("status"));

        assertTrue(f.mailer.last(ADA).text().contains("2 order(s) no longer carry"), f.mailer.last(ADA).text());
        assertTrue(f.mailer.last(OWNER).text().contains("ordersAnonymised=2 "), f.mailer.last(OWNER).text());
    }

    /** An append the SDK sent twice (its first answer lost) puts the same line twice on the trail: it counts once. */
    @Test
    void aStepLineWrittenTwiceCountsOnce() {
        adaIsACustomer();
        String token = submit("delete");
        f.requests.appendTwice = true;

        requests.confirm(token, IP, BASE);

        assertTrue(f.mailer.last(ADA).text().contains("2 order(s) no longer carry"), f.mailer.last(ADA).text());
        assertTrue(carriedOut(idOf(token)).get(0).detail().startsWith("ordersAnonymised=2 ordersKeepingShippingUntilShipped=1"
                + " stripeCustomersDeleted=1 subscriberItemsErased=1 "), carriedOut(idOf(token)).get(0).detail());
    }

    /** The first run reactivated the address, then its result mail failed: the second finds nothing to reactivate. */
    @Test
    void aReactivationWhoseMailFailedSaysTheAddressWasReactivatedWhenTriedAgain() {
        f.subscribers.deactivated.add(f.hash(ADA));
        String token = submit("reactivate");
        confirmFailingWhile(on -> f.mailer.failing = on, token);
        assertTrue(f.subscribers.deactivated.isEmpty(), "the first run reactivated it");

        admin.retry(OWNER_CALLER, idOf(token), BASE);

        assertEquals("Hello,\n\nOrders from this address are welcome again. Marketing mail stays off unless you"
                + " subscribe again.\n\nTest Jewelry\n", f.mailer.last(ADA).text());
        assertTrue(f.mailer.last(OWNER).text().contains("Details   reactivated=1"), f.mailer.last(OWNER).text());
    }

    /** The account's change of address moved the orders, then failed: tried again, the mail counts the moved orders. */
    @Test
    void aChangeOfAddressTriedAgainCountsTheOrdersTheFirstRunMoved() {
        f.orders.add("cs_test_1", ADA, "Ada Lovelace", "PAID");
        PrivacyRequest request = f.intake.receiveProven(new EmailAddress(ADA), RequestType.CORRECT,
                Optional.of(Correction.newAddress(new EmailAddress("ada.new@example.com"))), "account", IP);
        runFailingWhile(on -> f.mailer.failing = on, request);

        admin.retry(OWNER_CALLER, request.id(), BASE);

        assertTrue(f.mailer.last(ADA).text().contains("1 order(s) now carry the new address"), f.mailer.last(ADA).text());
    }

    /**
     * An account's button pressed again after its request failed makes a new request; once that one
     * is carried out, the failed one is answered by it: closed, its address forgotten, and "try
     * again" on it refused, so the person gets one answer.
     */
    @Test
    void aFailedAccountChangeAnsweredByTheSameChangeMadeAgainCannotBeTriedAgain() {
        f.subscribers.deactivated.add(f.hash(ADA));
        f.mailer.failing = true;
        PrivacyRequest first = failedAccountRequest(RequestType.REACTIVATE, Optional.empty());
        f.mailer.failing = false;
        PrivacyRequest second = accountRequest(RequestType.REACTIVATE, Optional.empty());

        f.runner.run(second, "session", BASE);

        assertAnsweredBy(first, second);
        assertEquals(1, f.mailer.to(ADA).stream().filter(m -> m.subject().contains("is done")).count());
    }

    /**
     * A later request of the same address about something else (an access after an opt-out)
     * answers no failed one: it stays for the owner.
     */
    @Test
    void aFailedRequestOfAnotherTypeIsNotAnsweredByALaterOne() {
        PrivacyRequest optOut = f.intake.receiveProven(new EmailAddress(ADA), RequestType.OPT_OUT, Optional.empty(),
                "account", IP);
        runFailingWhile(on -> f.mailer.failing = on, optOut);
        f.clock.advance(Duration.ofMinutes(1));

        f.runner.run(f.intake.receiveProven(new EmailAddress(ADA), RequestType.ACCESS, Optional.empty(), "account", IP),
                "session", BASE);

        assertEquals(RequestStatus.FAILED, f.requests.find(optOut.id()).orElseThrow().status());
        assertEquals(ADA, f.requests.find(optOut.id()).orElseThrow().email().orElseThrow().value());
    }

    /**
     * An opt-out that failed before its deactivation, then a reactivation the person made later
     * and that was carried out: the reactivation is their latest wish, so the opt-out is closed as
     * answered by it and "try again" on it is refused; checkout stays open to them.
     */
    @Test
    void aFailedOptOutIsAnsweredByALaterReactivationSoTryingItAgainCannotDeactivateThePerson() {
        f.subscribers.deactivated.add(f.hash(ADA)); // an older opt-out, done
        f.subscribers.failingDeactivate = true;
        PrivacyRequest optOut = failedAccountRequest(RequestType.OPT_OUT, Optional.empty());
        f.subscribers.failingDeactivate = false;
        PrivacyRequest reactivation = accountRequest(RequestType.REACTIVATE, Optional.empty());

        f.runner.run(reactivation, "session", BASE);

        assertAnsweredBy(optOut, reactivation);
        assertTrue(f.subscribers.deactivated.isEmpty(), "checkout open again, as the person asked last");
    }

    /** The other way round: a reactivation that failed, then an opt-out carried out; the address stays deactivated. */
    @Test
    void aFailedReactivationIsAnsweredByALaterOptOutSoTryingItAgainCannotReopenCheckout() {
        f.subscribers.deactivated.add(f.hash(ADA));
        f.mailer.failing = true;
        PrivacyRequest reactivation = failedAccountRequest(RequestType.REACTIVATE, Optional.empty());
        f.mailer.failing = false;
        PrivacyRequest optOut = accountRequest(RequestType.OPT_OUT, Optional.empty());

        f.runner.run(optOut, "session", BASE);

        assertAnsweredBy(reactivation, optOut);
        assertEquals(Set.of(f.hash(ADA)), f.subscribers.deactivated);
    }

    /**
     * An opt-out unsubscribes too, so it answers an unsubscribe that failed; an unsubscribe does
     * not answer an opt-out that failed, whose deactivation is still to do.
     */
    @Test
    void anOptOutAnswersAFailedUnsubscribeAndAnUnsubscribeLeavesAFailedOptOutForTheOwner() {
        f.mailer.failing = true;
        PrivacyRequest unsubscribe = failedAccountRequest(RequestType.UNSUBSCRIBE, Optional.empty());
        f.mailer.failing = false;
        PrivacyRequest optOut = accountRequest(RequestType.OPT_OUT, Optional.empty());
        f.runner.run(optOut, "session", BASE);
        assertAnsweredBy(unsubscribe, optOut);

        f.subscribers.failingDeactivate = true;
        PrivacyRequest failedOptOut = failedAccountRequest(RequestType.OPT_OUT, Optional.empty());
        f.subscribers.failingDeactivate = false;
        f.runner.run(accountRequest(RequestType.UNSUBSCRIBE, Optional.empty()), "session", BASE);

        assertEquals(RequestStatus.FAILED, f.requests.find(failedOptOut.id()).orElseThrow().status());
        admin.retry(OWNER_CALLER, failedOptOut.id(), BASE);
        assertEquals(RequestStatus.COMPLETED, f.requests.find(failedOptOut.id()).orElseThrow().status());
    }

    /**
     * An unsubscribe that failed (the account's button), then the person left through a
     * newsletter's link and subscribed again from the form (no privacy request, so it answers none): "try again" days later acts as of
     * when the request was verified, so the newer subscription stays, unsuppressed, and the request
     * completes, its mail saying so.
     */
    @Test
    void aFailedUnsubscribeTriedAgainAfterThePersonSubscribedAgainLeavesTheNewerSubscription() {
        f.subscribers.subscribe(f.hash(ADA), ADA);
        f.subscribers.failingUnsubscribe = true;
        PrivacyRequest unsubscribe = failedAccountRequest(RequestType.UNSUBSCRIBE, Optional.empty());
        f.subscribers.failingUnsubscribe = false;
        assertEquals(List.of(ADA), f.subscribers.emails(), "the failed run removed nothing");
        f.clock.advance(Duration.ofDays(1));
        // Still mailed, Ada leaves with a newsletter's one-click link, then changes her mind.
        f.subscribers.unsubscribe(f.hash(ADA), f.clock.instant(), Suppression.UNSUBSCRIBE);
        f.clock.advance(Duration.ofDays(2));
        f.subscribers.subscribe(f.hash(ADA), ADA, f.clock.instant());
        f.clock.advance(Duration.ofDays(2));

        assertEquals("completed", admin.retry(OWNER_CALLER, unsubscribe.id(), BASE).get("status"));

        assertEquals(List.of(ADA), f.subscribers.emails(), "still subscribed");
        assertFalse(f.subscribers.suppressed.contains(f.hash(ADA)), "and mailed the newsletters");
        assertEquals(RequestStatus.COMPLETED, f.requests.find(unsubscribe.id()).orElseThrow().status());
        assertTrue(f.mailer.last(ADA).text().contains("You subscribed to our newsletter again after this request, so"
                + " that newer subscription stays."), f.mailer.last(ADA).text());
        assertTrue(f.mailer.last(OWNER).text().contains("Details   newsletterUnsubscribed=0 newerSubscriptionKept=1"),
                f.mailer.last(OWNER).text());
    }

    /**
     * The same request tried again without a newer signup unsubscribes, with the suppression dated
     * when the request was verified, not when the owner pressed "try again".
     */
    @Test
    void aFailedUnsubscribeTriedAgainUnsubscribesAsOfWhenItWasVerified() {
        f.subscribers.subscribe(f.hash(ADA), ADA);
        f.subscribers.failingUnsubscribe = true;
        PrivacyRequest unsubscribe = failedAccountRequest(RequestType.UNSUBSCRIBE, Optional.empty());
        f.subscribers.failingUnsubscribe = false;
        Instant verified = f.requests.audit(unsubscribe.id()).stream()
                .filter(e -> e.event().equals("verified")).findFirst().orElseThrow().at();
        f.clock.advance(Duration.ofDays(5));

        assertEquals("completed", admin.retry(OWNER_CALLER, unsubscribe.id(), BASE).get("status"));

        assertTrue(f.subscribers.subscribers.isEmpty());
        assertEquals(verified, f.subscribers.suppressedSince.get(f.hash(ADA)));
        assertTrue(f.clock.instant().isAfter(verified));
        assertEquals("Hello,\n\nYou are unsubscribed: we will send no more newsletters to this address.\n\nTest Jewelry\n",
                f.mailer.last(ADA).text());
        assertTrue(f.mailer.last(OWNER).text().contains("Details   newsletterUnsubscribed=1\n"), f.mailer.last(OWNER).text());
    }

    /**
     * An erasure that failed at its newsletter step (Stripe's customer deleted and the orders
     * anonymised), then the person subscribed again from the form: "try again" days later erases
     * as of when the request was verified, so the newer subscription stays, unsuppressed, while
     * the rest stays erased; the mail says so and no longer says the newsletter records are gone.
     */
    @Test
    void aFailedErasureTriedAgainAfterThePersonSubscribedAgainLeavesTheNewerSubscription() {
        adaIsACustomer();
        String token = submit("delete");
        confirmFailingWhile(on -> f.subscribers.failingErase = on, token);
        String id = idOf(token);
        f.clock.advance(Duration.ofDays(2));
        f.subscribers.subscribe(f.hash(ADA), ADA, f.clock.instant());
        f.clock.advance(Duration.ofDays(2));

        assertEquals("completed", admin.retry(OWNER_CALLER, id, BASE).get("status"));

        assertEquals(List.of(ADA), f.subscribers.emails(), "still subscribed");
        assertFalse(f.subscribers.suppressed.contains(f.hash(ADA)), "and mailed the newsletters");
        assertTrue(f.orders.orders.values().stream().noneMatch(o -> o.containsKey("customerEmail")), "the orders stay erased");
        assertEquals("Hello,\n\nWe erased your personal data: 2 order(s) no longer carry your name, email, phone or"
                + " addresses. 1 of these order(s) are paid and not shipped yet",
                f.mailer.last(ADA).text().substring(0, f.mailer.last(ADA).text().indexOf(" yet") + 4));
        assertTrue(f.mailer.last(ADA).text().contains("\n\nYou subscribed to our newsletter again after this request,"
                + " so that newer subscription stays."), f.mailer.last(ADA).text());
        assertFalse(f.mailer.last(ADA).text().contains("newsletter records are gone"), f.mailer.last(ADA).text());
        assertTrue(f.mailer.last(OWNER).text().contains(" subscriberItemsErased=0 ")
                && f.mailer.last(OWNER).text().contains(" newerSubscriptionKept=1\n"), f.mailer.last(OWNER).text());
    }

    /**
     * A correction of the name that failed, then another name asked later and set: trying the
     * first again would put back the name the person corrected since, so it is answered by the
     * later one. A later correction of the name alone does not answer one that also changes the
     * shipping address.
     */
    @Test
    void aFailedCorrectionIsAnsweredByALaterOneOfTheSameFieldsAndNotByOneOfFewer() {
        f.orders.add("cs_test_1", ADA, "Ada Lovelace", "PAID");
        f.mailer.failing = true;
        PrivacyRequest first = failedAccountRequest(RequestType.CORRECT,
                Optional.of(new Correction(Optional.of("Ada King"), Optional.empty())));
        PrivacyRequest both = failedAccountRequest(RequestType.CORRECT, Optional.of(new Correction(
                Optional.of("Ada King"), Optional.of(shop.commerce.orders.ShippingAddress.fromJson("shippingAddress",
                        Json.object().put("line1", "12 St James's Square").put("city", "London").put("country", "GB"))))));
        f.mailer.failing = false;
        PrivacyRequest later = accountRequest(RequestType.CORRECT,
                Optional.of(new Correction(Optional.of("Ada Byron"), Optional.empty())));

        f.runner.run(later, "session", BASE);

        assertAnsweredBy(first, later);
        assertEquals("Ada Byron", f.orders.orders.get("cs_test_1").get("customerName"));
        assertEquals(RequestStatus.FAILED, f.requests.find(both.id()).orElseThrow().status());
    }

    /** A failed correction whose correction was forgotten (an erasure) is compared with none, and the next is still answered. */
    @Test
    void aFailedCorrectionForgottenByAnErasureIsLeftAndTheNextOneIsStillAnswered() {
        f.orders.add("cs_test_1", ADA, "Ada Lovelace", "PAID");
        Optional<Correction> name = Optional.of(new Correction(Optional.of("Ada King"), Optional.empty()));
        f.mailer.failing = true;
        PrivacyRequest forgotten = failedAccountRequest(RequestType.CORRECT, name);
        PrivacyRequest failed = failedAccountRequest(RequestType.CORRECT, name);
        f.mailer.failing = false;
        f.requests.forgetPersonalData(forgotten.id());
        PrivacyRequest later = accountRequest(RequestType.CORRECT, name);

        f.runner.run(later, "session", BASE);

        assertEquals(RequestStatus.FAILED, f.requests.find(forgotten.id()).orElseThrow().status());
        assertAnsweredBy(failed, later);
    }

    /** A request the person makes from their account, a minute after the last. */
    private PrivacyRequest accountRequest(RequestType type, Optional<Correction> correction) {
        f.clock.advance(Duration.ofMinutes(1));
        return f.intake.receiveProven(new EmailAddress(ADA), type, correction, "account", IP);
    }

    private PrivacyRequest failedAccountRequest(RequestType type, Optional<Correction> correction) {
        PrivacyRequest request = accountRequest(type, correction);
        assertThrows(RequestFailedException.class, () -> f.runner.run(request, "session", BASE));
        return request;
    }

    /** Closed, its address forgotten, its trail naming the later request, and "try again" 409 with nothing run. */
    private void assertAnsweredBy(PrivacyRequest failed, PrivacyRequest later) {
        PrivacyRequest answered = f.requests.find(failed.id()).orElseThrow();
        assertEquals(RequestStatus.COMPLETED, answered.status());
        assertTrue(answered.email().isEmpty() && answered.correction().isEmpty());
        List<AuditEntry> trail = f.requests.audit(failed.id());
        AuditEntry last = trail.get(trail.size() - 1);
        assertEquals("answered_by", last.event());
        assertTrue(last.detail().startsWith("request " + later.id() + " (" + later.type().wireName() + ")"),
                last.detail());
        int mails = f.mailer.to(ADA).size();
        assertThrows(shop.core.errors.ConflictException.class, () -> admin.retry(OWNER_CALLER, failed.id(), BASE));
        assertEquals(trail, f.requests.audit(failed.id()), "nothing run");
        assertEquals(mails, f.mailer.to(ADA).size(), "no second answer");
    }

    /** A correction of name or address is set again on every run (the orders keep the address): the retry counts every unshipped order. */
    @Test
    void aCorrectionTriedAgainCountsEveryUnshippedOrderItCorrected() {
        f.orders.add("cs_test_1", ADA, "Ada Lovelace", "PAID");
        f.orders.add("cs_test_2", ADA, "Ada Lovelace", "PAID").put("fulfilledAt", "2026-10-01T10:00:00Z");
        requests.submit(NewRequest.of(ADA, "correct", Json.object().put("name", "Ada King")), IP, BASE);
        String token = RecordingMailer.tokenFrom(f.mailer.last(ADA).text(), "/privacy/requests/verify");
        confirmFailingWhile(on -> f.mailer.failing = on, token);

        admin.retry(OWNER_CALLER, idOf(token), BASE);

        assertTrue(f.mailer.last(ADA).text().contains("We corrected 1 order(s) that have not shipped yet."),
                f.mailer.last(ADA).text());
        assertEquals("Ada King", f.orders.orders.get("cs_test_1").get("customerName"));
        assertEquals("Ada Lovelace", f.orders.orders.get("cs_test_2").get("customerName"));
    }

    /** An access request reads everything again: the export of its retry holds all there is, and its mail says so. */
    @Test
    void anAccessRequestTriedAgainExportsEverythingAgain() throws Exception {
        adaIsACustomer();
        String token = submit("access");
        confirmFailingWhile(on -> f.mailer.failing = on, token);
        String id = idOf(token);

        admin.retry(OWNER_CALLER, id, BASE);

        assertTrue(f.mailer.last(ADA).text().contains("It lists 2 order(s)"), f.mailer.last(ADA).text());
        var export = Json.mapper().readTree(f.exports.text("exports/" + id + ".json"));
        assertEquals(2, export.get("orders").size());
        assertEquals(ADA, export.at("/newsletter/subscriber/email").asText());
    }

    private String submit(String type) {
        requests.submit(NewRequest.of(ADA, type, null), IP, BASE);
        return RecordingMailer.tokenFrom(f.mailer.last(ADA).text(), "/privacy/requests/verify");
    }

    private String idOf(String token) {
        return f.requests.findToken(shop.core.security.Tokens.hash(token)).orElseThrow().requestId();
    }

    private List<AuditEntry> carriedOut(String id) {
        return f.requests.audit(id).stream().filter(e -> e.event().equals("carried_out")).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> trailEvents(Map<String, Object> shown) {
        return ((List<Map<String, Object>>) shown.get("trail")).stream().map(line -> (String) line.get("event")).toList();
    }

    private List<AuditEntry> steps(String id) {
        return f.requests.audit(id).stream().filter(e -> e.event().equals("step_done")).toList();
    }
}
