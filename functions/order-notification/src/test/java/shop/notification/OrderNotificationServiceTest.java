package shop.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import shop.commerce.orders.Dispute;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderMessage;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.Refund;
import shop.commerce.orders.Shipment;
import shop.commerce.testing.InMemoryOrderAccounts;
import shop.commerce.testing.InMemoryOrderStore;
import shop.local.stack.MutableClock;
import shop.commerce.testing.Samples;
import shop.core.email.EmailAddress;
import shop.core.mail.BackOfficeLinks;
import shop.core.mail.Email;

class OrderNotificationServiceTest {
    private static final String ORDER = "cs_test_n1";
    private static final String OWNER = "owner@shop.example.com";
    private static final String ADMIN_PAGE = "https://admin.shop.example.com/";
    /** Where the owner's mails about this order link to: its record on the admin page. */
    private static final String ORDER_ON_ADMIN_PAGE = ADMIN_PAGE + "#order=" + ORDER;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final InMemoryOrderStore orders = new InMemoryOrderStore();
    private final InMemoryMailClaims claims = new InMemoryMailClaims();
    private final RecordingMailer mailer = new RecordingMailer();
    private final InMemoryShipments shipments = new InMemoryShipments();
    private final InMemoryOrderAccounts accounts = new InMemoryOrderAccounts(orders);
    private final OrderNotificationService service = new OrderNotificationService(orders, shipments, accounts, claims, mailer,
            new OrderMails("Test Jewelry", BackOfficeLinks.at(ADMIN_PAGE)), new EmailAddress(OWNER), clock);

    @Test
    void aPaidOrderMailsTheCustomerAndTheOwnerOnceEach() {
        Order order = paidOrder("ada@example.com", "Ada Lovelace");

        service.handle(paid());
        service.handle(paid());

        assertEquals(2, mailer.sent.size());
        Email customer = mailer.to("ada@example.com").get(0);
        assertEquals("Your order " + order.number() + " at Test Jewelry", customer.subject());
        assertTrue(customer.text().contains("1 x Aria ring  $185.00"), customer.text());
        assertTrue(customer.text().contains("Total: $185.00"), customer.text());
        assertTrue(customer.text().contains("12 Harbor Road"), customer.text());
        assertTrue(customer.html().contains("Aria ring"), customer.html());
        Email owner = mailer.to(OWNER).get(0);
        assertTrue(owner.subject().startsWith("New order " + order.number()));
        assertTrue(owner.text().contains("Ada Lovelace <ada@example.com>"), owner.text());
        assertTrue(owner.text().contains("Billing address:"), owner.text());
        assertTrue(owner.text().contains("(test mode)"));
        assertTrue(owner.text().contains("Open it in the back office to ship it: " + ORDER_ON_ADMIN_PAGE), owner.text());
        assertTrue(owner.html().contains("<a href=\"" + ORDER_ON_ADMIN_PAGE + "\">"), owner.html());
        assertFalse(customer.text().contains(ADMIN_PAGE) || customer.html().contains(ADMIN_PAGE),
                "the customer's mail never shows the back office");
    }

    @Test
    void everyPieceOfCustomerTextIsEscapedInHtml() {
        String name = "<script>alert('x')</script> & \"Bob\"";
        paidOrder("bob@example.com", name);

        service.handle(paid());

        for (Email mail : mailer.sent) {
            assertFalse(mail.html().contains("<script>"), mail.html());
            assertTrue(mail.html().contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Bob&quot;"), mail.html());
        }
    }

    @Test
    void concurrentMessagesForOneOrderStillSendTwoMails() throws Exception {
        paidOrder("ada@example.com", "Ada");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                futures.add(pool.submit(() -> service.handle(paid())));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, mailer.to("ada@example.com").size());
        assertEquals(1, mailer.to(OWNER).size());
    }

    @Test
    void aFailedSendReleasesItsClaimSoTheRetrySendsIt() {
        paidOrder("ada@example.com", "Ada");
        mailer.failures.set(1);

        assertThrows(IllegalStateException.class, () -> service.handle(paid()));
        assertTrue(mailer.sent.isEmpty());

        service.handle(paid());
        assertEquals(1, mailer.to("ada@example.com").size());
        assertEquals(1, mailer.to(OWNER).size());
    }

    @Test
    void aClaimWhoseHolderVanishedIsTakenOverOnceStale() {
        paidOrder("ada@example.com", "Ada");
        claims.claim(ORDER, MailKind.CUSTOMER_CONFIRMATION, null, "crashed", clock.instant(), clock.instant().minusSeconds(120));

        service.handle(paid());
        assertTrue(mailer.to("ada@example.com").isEmpty(), "held by a live sender");

        clock.advance(Duration.ofMinutes(3));
        service.handle(paid());
        assertEquals(1, mailer.to("ada@example.com").size());
        assertEquals(1, mailer.to(OWNER).size());
    }

    @Test
    void aFailedPaymentTellsOnlyTheCustomer() {
        orders.create(Samples.order(ORDER, OrderStatus.FAILED, "ada@example.com", "Ada"), 0);

        service.handle(new OrderMessage(OrderMessage.Type.PAYMENT_FAILED, ORDER));

        assertEquals(1, mailer.sent.size());
        assertTrue(mailer.sent.get(0).subject().contains("did not go through"));
        assertTrue(mailer.sent.get(0).text().contains("nothing will be charged"));
    }

    @Test
    void noOrderOrNoMailableAddressMeansNoCustomerMail() {
        service.handle(paid());
        assertTrue(mailer.sent.isEmpty());

        orders.create(Samples.order(ORDER, OrderStatus.PAID, "ünïcode@exämple.com", "Ada"), 0);
        service.handle(paid());
        assertEquals(1, mailer.sent.size());
        assertEquals(OWNER, mailer.sent.get(0).to().value());
    }

    @Test
    void givenTheShippedMessageTwice_thenOneShippingMailWithTheTrackingLink() {
        Order order = Samples.order(ORDER, OrderStatus.SHIPPED, "ada@example.com", "Ada <b>Lovelace</b>");
        orders.create(order, 0);
        shipments.shipments.put(ORDER, new Shipment("Royal Mail", "RM123\"456GB",
                "https://track.example.com/p?id=RM123&x='", clock.instant(), "sam"));

        service.handle(shippedMessage());
        service.handle(shippedMessage());

        assertEquals(1, mailer.sent.size());
        Email mail = mailer.to("ada@example.com").get(0);
        assertEquals("Your order " + order.number() + " is on its way", mail.subject());
        assertTrue(mail.text().contains("Follow it here: https://track.example.com/p?id=RM123&x='"), mail.text());
        assertTrue(mail.html().contains("<a href=\"https://track.example.com/p?id=RM123&amp;x=&#39;\">"), mail.html());
        assertTrue(mail.html().contains("RM123&quot;456GB"), mail.html());
        assertTrue(mail.html().contains("Ada &lt;b&gt;Lovelace&lt;/b&gt;"), mail.html());
        assertFalse(mail.text().contains("$185.00\nTotal"), "no amounts needed in a shipping mail");
    }

    @Test
    void aShippedMessageForAnOrderWithoutAShipmentMailsNobody() {
        paidOrder("ada@example.com", "Ada");

        service.handle(shippedMessage());

        assertTrue(mailer.sent.isEmpty());
    }

    @Test
    void givenACorrectionDeliveredTwice_thenOneMailWithTheRightLinkAndTheShippingMailUntouched() {
        Order order = Samples.order(ORDER, OrderStatus.SHIPPED, "ada@example.com", "Ada");
        orders.create(order, 0);
        Shipment typo = new Shipment("Royal Mail", "RM12345678GB", "https://track.example.com/RM12345678GB",
                clock.instant(), "sam");
        shipments.shipments.put(ORDER, typo);
        service.handle(shippedMessage());
        shipments.shipments.put(ORDER, typo.correctedTo(new Shipment("Royal Mail", "RM123456789GB",
                "https://track.example.com/RM123456789GB", clock.instant(), "olivia")));

        service.handle(corrected("1"));
        service.handle(corrected("1"));
        service.handle(shippedMessage());

        assertEquals(2, mailer.sent.size(), "the shipping mail and one correction");
        Email mail = mailer.to("ada@example.com").get(1);
        assertEquals("Corrected tracking for your order " + order.number(), mail.subject());
        assertTrue(mail.text().contains("the tracking link we sent you for your order " + order.number() + " was wrong"),
                mail.text());
        assertTrue(mail.text().contains("Follow it here: https://track.example.com/RM123456789GB\n"), mail.text());
        assertTrue(mail.html().contains("<a href=\"https://track.example.com/RM123456789GB\">"), mail.html());
        assertFalse(mail.text().contains("RM12345678GB"), "not the wrong one");
        assertEquals("SENT", claims.rows.get(ORDER + "#SHIPMENT_CORRECTED#1").status(), claims.rows.toString());
    }

    @Test
    void aCorrectionThatIsNoLongerTheLatestMailsNobodyTheLatestOneMailsTheLinkAsItIs() {
        orders.create(Samples.order(ORDER, OrderStatus.SHIPPED, "ada@example.com", "Ada"), 0);
        Shipment first = new Shipment("Royal Mail", "RM1", "https://track.example.com/RM1", clock.instant(), "sam");
        shipments.shipments.put(ORDER, first
                .correctedTo(new Shipment("Royal Mail", "RM2", "https://track.example.com/RM2", clock.instant(), "sam"))
                .correctedTo(new Shipment("DHL", "JD3", "https://dhl.example.com/JD3", clock.instant(), "sam")));

        service.handle(corrected("1"));
        assertTrue(mailer.sent.isEmpty(), "correction 1 was corrected again: its message is stale");

        service.handle(corrected("2"));
        assertEquals(1, mailer.sent.size());
        assertTrue(mailer.sent.get(0).text().contains("https://dhl.example.com/JD3"));
    }

    @Test
    void aCorrectionOfAnOrderErasedOnRequestMailsNobody() {
        orders.create(Samples.order(ORDER, OrderStatus.SHIPPED, null, null), 0);
        shipments.shipments.put(ORDER, new Shipment("Royal Mail", "RM1", "https://track.example.com/RM1", clock.instant(),
                "sam", 1));

        service.handle(corrected("1"));

        assertTrue(mailer.sent.isEmpty());
    }

    @Test
    void givenAnAddressChangeDeliveredTwice_thenOneMailWithTheNewAddressAndWhatToDoIfTheyDidNotAskForIt() {
        Order order = paidOrder("ada@example.com", "Ada Lovelace");
        shipments.addressChanges.put(ORDER, 1);

        service.handle(addressChanged("1"));
        service.handle(addressChanged("1"));

        assertEquals(1, mailer.sent.size());
        Email mail = mailer.to("ada@example.com").get(0);
        assertEquals("The shipping address of your order " + order.number() + " was changed", mail.subject());
        assertTrue(mail.text().contains("at your request, we changed the shipping address of your order " + order.number()),
                mail.text());
        assertTrue(mail.text().contains("12 Harbor Road"), mail.text());
        assertTrue(mail.text().contains("If you did not ask for this, reply to this mail"), mail.text());
        assertEquals(order.number(), mail.headers().get("X-Shop-Order"));
        assertEquals("SENT", claims.rows.get(ORDER + "#SHIPPING_ADDRESS_CHANGED#1").status(), claims.rows.toString());
    }

    @Test
    void anAddressChangeThatIsNoLongerTheLatestMailsNobodyAndAnErasedOrderNobodyEither() {
        paidOrder("ada@example.com", "Ada Lovelace");
        shipments.addressChanges.put(ORDER, 2);

        service.handle(addressChanged("1"));
        assertTrue(mailer.sent.isEmpty(), "change 1 was changed again: its message is stale");
        service.handle(addressChanged("2"));
        assertEquals(1, mailer.sent.size());

        orders.create(Samples.order("cs_test_erased", OrderStatus.PAID, null, null), 0);
        shipments.addressChanges.put("cs_test_erased", 1);
        service.handle(new OrderMessage(OrderMessage.Type.SHIPPING_ADDRESS_CHANGED, "cs_test_erased", "1"));
        assertEquals(1, mailer.sent.size(), "no address left to write to");
    }

    @Test
    void givenAnEmailCorrectionDeliveredTwice_thenOneMailWithTheOrderToTheCorrectedAddressOnly() {
        // The order as the correction left it: the corrected address (the mistyped one bounced the confirmation).
        Order order = paidOrder("ada@gmail.com", "Ada Lovelace");
        shipments.emailChanges.put(ORDER, 1);

        service.handle(emailChanged("1"));
        service.handle(emailChanged("1"));

        assertEquals(1, mailer.sent.size(), mailer.sent.toString());
        Email mail = mailer.to("ada@gmail.com").get(0);
        assertEquals("Your order " + order.number() + " at Test Jewelry", mail.subject());
        assertTrue(mail.text().contains("we corrected the email address we had for your order " + order.number()),
                mail.text());
        assertTrue(mail.text().contains("1 x Aria ring  $185.00"), mail.text());
        assertTrue(mail.text().contains("Total: $185.00"), mail.text());
        assertTrue(mail.text().contains("12 Harbor Road"), mail.text());
        assertTrue(mail.text().contains("We will write again when it is on its way."), mail.text());
        assertFalse(mail.text().contains("Carrier:"), mail.text());
        assertEquals(order.number(), mail.headers().get("X-Shop-Order"));
        assertEquals("SENT", claims.rows.get(ORDER + "#EMAIL_CHANGED#1").status(), claims.rows.toString());
        assertFalse(mail.text().contains(ADMIN_PAGE), "the customer's mail never shows the back office");
    }

    @Test
    void anEmailCorrectionOfAShippedOrderCarriesItsTrackingLink() {
        Order order = Samples.order(ORDER, OrderStatus.SHIPPED, "ada@gmail.com", "Ada <b>Lovelace</b>");
        orders.create(order, 0);
        shipments.shipments.put(ORDER, new Shipment("Royal Mail", "RM123\"456GB",
                "https://track.example.com/p?id=RM123&x='", clock.instant(), "sam"));
        shipments.emailChanges.put(ORDER, 1);

        service.handle(emailChanged("1"));

        Email mail = mailer.to("ada@gmail.com").get(0);
        assertTrue(mail.text().contains("Carrier: Royal Mail"), mail.text());
        assertTrue(mail.text().contains("Follow it here: https://track.example.com/p?id=RM123&x='"), mail.text());
        assertTrue(mail.html().contains("<a href=\"https://track.example.com/p?id=RM123&amp;x=&#39;\">"), mail.html());
        assertTrue(mail.html().contains("RM123&quot;456GB"), mail.html());
        assertTrue(mail.html().contains("Ada &lt;b&gt;Lovelace&lt;/b&gt;"), mail.html());
        assertFalse(mail.text().contains("We will write again"), mail.text());
    }

    @Test
    void anEmailCorrectionCorrectedAgainMailsNobodyAndTheLatestMailsTheAddressAsItIs() {
        paidOrder("ada.king@gmail.com", "Ada Lovelace");
        shipments.emailChanges.put(ORDER, 2);

        service.handle(emailChanged("1"));
        assertTrue(mailer.sent.isEmpty(), "correction 1 was corrected again: its message is stale");
        service.handle(emailChanged("2"));
        assertEquals(1, mailer.to("ada.king@gmail.com").size());

        orders.create(Samples.order("cs_test_erased", OrderStatus.PAID, null, null), 0);
        shipments.emailChanges.put("cs_test_erased", 1);
        service.handle(new OrderMessage(OrderMessage.Type.ORDER_EMAIL_CHANGED, "cs_test_erased", "1"));
        assertEquals(1, mailer.sent.size(), "no address left to write to");
    }

    private static OrderMessage emailChanged(String change) {
        return new OrderMessage(OrderMessage.Type.ORDER_EMAIL_CHANGED, ORDER, change);
    }

    private static OrderMessage addressChanged(String change) {
        return new OrderMessage(OrderMessage.Type.SHIPPING_ADDRESS_CHANGED, ORDER, change);
    }

    private static OrderMessage corrected(String correction) {
        return new OrderMessage(OrderMessage.Type.SHIPMENT_CORRECTED, ORDER, correction);
    }

    private static OrderMessage shippedMessage() {
        return new OrderMessage(OrderMessage.Type.ORDER_SHIPPED, ORDER);
    }

    @Test
    void eachRefundMailsTheCustomerOnceWithAmountCurrencyAndReasonButNeverTheOwnersNote() {
        Order order = paidOrder("ada@example.com", "Ada Lovelace");
        accounts.addRefund(ORDER, new Refund("re_first", 9250, "usd", "requested_by_customer", "Clasp scratched, goodwill",
                clock.instant(), "owner", false, "k1"));
        accounts.addRefund(ORDER, new Refund("re_second", 9250, "usd", null, null, clock.instant(),
                Refund.BY_DASHBOARD, false, null));

        service.handle(refundMessage("re_first"));
        service.handle(refundMessage("re_first"));
        service.handle(refundMessage("re_second"));
        service.handle(refundMessage("re_unknown"));

        List<Email> mails = mailer.to("ada@example.com");
        assertEquals(2, mails.size());
        Email first = mails.get(0);
        assertEquals("Refund for your order " + order.number() + " at Test Jewelry", first.subject());
        assertTrue(first.text().contains("we have refunded $92.50 (USD), part of your order " + order.number()), first.text());
        assertTrue(first.text().contains("You asked us for it."), first.text());
        assertFalse(first.text().contains("Clasp"), first.text());
        assertFalse(first.html().contains("Clasp"), first.html());
        assertTrue(mails.get(1).text().contains("$92.50"), mails.get(1).text());
        assertTrue(mailer.to(OWNER).isEmpty());
    }

    @Test
    void aDisputeMailsTheOwnerOnceWithTheEvidenceDeadline() {
        Order order = paidOrder("ada@example.com", "Ada");
        accounts.recordDispute(ORDER, Dispute.of("du_1", "fraudulent", "needs_response", 18500, "usd",
                Instant.parse("2026-12-09T23:59:59Z"), clock.instant(), clock.instant()), clock.instant());

        service.handle(new OrderMessage(OrderMessage.Type.DISPUTE_OPENED, ORDER, "du_1"));
        service.handle(new OrderMessage(OrderMessage.Type.DISPUTE_OPENED, ORDER, "du_1"));
        service.handle(new OrderMessage(OrderMessage.Type.DISPUTE_OPENED, ORDER, "du_other"));

        assertEquals(1, mailer.sent.size());
        Email mail = mailer.to(OWNER).get(0);
        assertEquals("Dispute on order " + order.number() + ": evidence due 9 December 2026, 23:59 UTC", mail.subject());
        assertTrue(mail.text().contains("before 9 December 2026, 23:59 UTC"), mail.text());
        assertTrue(mail.text().contains("$185.00, reason: fraudulent"), mail.text());
        assertTrue(mail.text().contains("The order in the back office: " + ORDER_ON_ADMIN_PAGE), mail.text());
        assertTrue(mail.html().contains("<a href=\"" + ORDER_ON_ADMIN_PAGE + "\">"), mail.html());
    }

    @Test
    void aFailedRefundMailsTheOwnerOnceWithAmountReasonAndWhatToDoAndTheCustomerNothing() {
        Order order = paidOrder("ada@example.com", "Ada Lovelace");
        Refund refund = new Refund("re_failed", 9250, "usd", "requested_by_customer", "Goodwill", clock.instant(),
                "owner", false, "k1");
        accounts.addRefund(ORDER, refund);
        accounts.recordRefundFailure(accounts.find(ORDER).orElseThrow(),
                refund.failedAs("failed", "expired_or_canceled_card", clock.instant()));

        service.handle(new OrderMessage(OrderMessage.Type.REFUND_FAILED, ORDER, "re_failed"));
        service.handle(new OrderMessage(OrderMessage.Type.REFUND_FAILED, ORDER, "re_failed"));
        service.handle(new OrderMessage(OrderMessage.Type.REFUND_FAILED, ORDER, "re_unknown"));
        service.handle(refundMessage("re_failed")); // the customer's mail, queued before the failure came

        assertEquals(1, mailer.sent.size());
        Email mail = mailer.to(OWNER).get(0);
        assertEquals("Refund failed for order " + order.number() + ": the customer has not got $92.50 back", mail.subject());
        assertTrue(mail.text().startsWith("The refund of $92.50 (USD) for order " + order.number() + " failed at Stripe:"
                + " the card was expired or canceled (expired_or_canceled_card).\n\nThe customer has not got the money"
                + " back. Refund them another way (a bank transfer, say), or try again in the back office or the Stripe"
                + " Dashboard.\n"), mail.text());
        assertTrue(mail.text().contains("Stripe refund re_failed, payment "), mail.text());
        assertTrue(mail.text().contains("The order in the back office: " + ORDER_ON_ADMIN_PAGE), mail.text());
        assertTrue(mail.html().contains("<a href=\"" + ORDER_ON_ADMIN_PAGE + "\">"), mail.html());
        assertFalse(mail.text().contains("Goodwill"), "the owner's note stays in the back office");
        assertTrue(mailer.to("ada@example.com").isEmpty(), "no 'we refunded you' for money that did not go back");
    }

    @Test
    void aRefundStillReturningMoneyMailsTheOwnerNothingAboutAFailure() {
        paidOrder("ada@example.com", "Ada Lovelace");
        accounts.addRefund(ORDER, new Refund("re_fine", 9250, "usd", null, null, clock.instant(), "owner", false, "k1"));

        service.handle(new OrderMessage(OrderMessage.Type.REFUND_FAILED, ORDER, "re_fine"));

        assertTrue(mailer.to(OWNER).isEmpty());
    }

    @Test
    void aCanceledRefundWithoutAReasonSaysSo() {
        Order order = paidOrder("ada@example.com", "Ada Lovelace");
        Refund refund = new Refund("re_canceled", 18500, "usd", null, null, clock.instant(), Refund.BY_DASHBOARD, false, null);

        String text = new OrderMails("Test Jewelry", BackOfficeLinks.at(ADMIN_PAGE)).ownerRefundFailed(
                new EmailAddress(OWNER), order, refund.failedAs("canceled", null, clock.instant())).text();

        assertTrue(text.startsWith("The refund of $185.00 (USD) for order " + order.number() + " was canceled at Stripe:"
                + " Stripe gave no reason.\n"), text);
    }

    private static OrderMessage refundMessage(String refundId) {
        return new OrderMessage(OrderMessage.Type.ORDER_REFUNDED, ORDER, refundId);
    }

    /** Paid after its pieces went back on sale: the owner is told why, which pieces to check, and what to do; once. */
    @Test
    void anOrderWhoseStockWasNoLongerHeldMailsTheOwnerOnceNamingThePiecesToCheck() {
        Order order = Samples.order(ORDER, OrderStatus.PAID, "ada@example.com", "Ada").stockNotHeld();
        orders.create(order, 0);
        var message = new OrderMessage(OrderMessage.Type.ORDER_NEEDS_ATTENTION, ORDER, "stock_not_held");

        service.handle(message);
        service.handle(message);

        assertEquals(List.of(), mailer.to("ada@example.com"), "nothing to the customer");
        assertEquals(1, mailer.to(OWNER).size());
        Email owner = mailer.to(OWNER).get(0);
        assertEquals("Order " + order.number() + " needs your attention", owner.subject());
        assertTrue(owner.text().contains("was paid, but its pieces were no longer held for it when the payment arrived"),
                owner.text());
        assertTrue(owner.text().contains("1 x Aria ring"), owner.text());
        assertTrue(owner.text().contains("ship it; if one is gone, refund"), owner.text());
        assertTrue(owner.text().contains("accept the order in the back office (that takes them from stock"),
                "accepting takes the pieces: not to be taken off sale by hand as well: " + owner.text());
        assertTrue(owner.text().contains("Accept or refund it in the back office: " + ORDER_ON_ADMIN_PAGE), owner.text());
        assertTrue(owner.html().contains("Accept or refund it in the back office: <a href=\"" + ORDER_ON_ADMIN_PAGE + "\">"
                + ORDER_ON_ADMIN_PAGE + "</a>"), owner.html());
    }

    private Order paidOrder(String email, String name) {
        Order order = Samples.order(ORDER, OrderStatus.PAID, email, name);
        orders.create(order, 0);
        return order;
    }

    private static OrderMessage paid() {
        return new OrderMessage(OrderMessage.Type.ORDER_PAID, ORDER);
    }
}
