package shop.adminorders;

import static shop.adminorders.Fakes.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import shop.commerce.orders.OrderMessage;
import shop.commerce.orders.OrderStatus;
import shop.core.admin.AdminCaller;
import shop.core.email.EmailAddress;
import shop.core.errors.ConflictException;
import shop.core.errors.InvalidInputException;
import shop.core.errors.NotFoundException;

/** A paid order's customer email corrected after its mail bounced: {@code PUT /admin/orders/{id}/email}, on the service. */
class CustomerEmailChangeServiceTest {
    private static final Instant CHANGED_AT = Instant.parse("2026-11-26T08:30:00Z");
    private static final AdminCaller STAFF = new AdminCaller("sub-staff", "sam", Set.of("staff"));
    private static final String ORDER = "cs_test_email0001";
    private static final EmailAddress RIGHT = new EmailAddress("ada@gmail.com");

    private final Fakes.Book book = new Fakes.Book();
    private final Fakes.Suppressions suppressions = new Fakes.Suppressions();
    private final Fakes.Events events = new Fakes.Events();
    private final AdminNames names = username -> Optional.of(username + "@shop.example");
    private final OrderRecordService records = new OrderRecordService(book, book.trail, names);
    private final CustomerEmailChangeService service = new CustomerEmailChangeService(book, suppressions, events, records,
            Clock.fixed(CHANGED_AT, ZoneOffset.UTC));

    /** A paid order whose confirmation bounced from the mistyped address: the feedback function suppressed it. */
    private String bounced(OrderStatus status) {
        var order = Fakes.order(ORDER, status, CHANGED_AT.minusSeconds(3600));
        order.put("customerEmail", "ada@gmial.com");
        book.add(order);
        suppressions.reasons.put("ada@gmial.com", MailSuppressions.BOUNCE);
        return version();
    }

    private String version() {
        return (String) records.detail(ORDER).get("emailVersion");
    }

    @Test
    void aCorrectionReplacesTheAddressAndItsKeyAuditsNeitherAddressAndQueuesTheMailToTheNewOne() {
        String read = bounced(OrderStatus.PAID);

        Map<String, Object> detail = service.changeEmail(STAFF, ORDER, RIGHT, read);

        assertEquals("ada@gmail.com", detail.get("customerEmail"));
        assertEquals("hash-of-ada@gmail.com", book.orders.get(ORDER).get("emailHash"), "the index key moves with it");
        assertEquals(1L, detail.get("emailChanges"));
        assertEquals(CHANGED_AT.toString(), detail.get("emailChangedAt"));
        assertEquals("sam@shop.example", detail.get("emailChangedBy"), "named by sign-in address, as the trail is");
        assertNotEquals(read, detail.get("emailVersion"), "the page that read the old address reads a new version");
        assertEquals("PAID", detail.get("status"));
        assertEquals(List.of(new OrderMessage(OrderMessage.Type.ORDER_EMAIL_CHANGED, ORDER, "1")), events.published);
        var line = book.trail.actions.get(book.trail.actions.size() - 1);
        assertEquals("order.email_changed", line.action());
        assertEquals("sam", line.actorName());
        assertEquals(CHANGED_AT, line.at());
        assertEquals(Map.of("change", 0, "bounced", true), map(line.before()));
        assertEquals(Map.of("change", 1), map(line.after()));
        for (String personal : List.of("ada", "gmial", "gmail", "@")) {
            assertFalse(line.before().contains(personal) || line.after().contains(personal), personal);
        }
    }

    @Test
    void aShippedOrRefundedOrderIsCorrectedToo() {
        for (OrderStatus status : List.of(OrderStatus.SHIPPED, OrderStatus.REFUNDED)) {
            book.orders.clear();
            String read = bounced(status);

            assertEquals("ada@gmail.com", service.changeEmail(STAFF, ORDER, RIGHT, read).get("customerEmail"), status.name());
        }
        assertEquals(2, book.emailChangesWritten);
    }

    @Test
    void theSameAddressAgainWritesNothingAndQueuesTheSameCorrectionsMessageAgain() {
        String read = bounced(OrderStatus.PAID);
        service.changeEmail(STAFF, ORDER, RIGHT, read);

        // A double press, or a retry of a lost answer: the form as the first press sent it, with the version it read.
        Map<String, Object> again = service.changeEmail(STAFF, ORDER, new EmailAddress(" Ada@Gmail.com "), read);

        assertEquals("ada@gmail.com", again.get("customerEmail"));
        assertEquals(1, book.emailChangesWritten);
        assertEquals(1, book.trail.actions.size());
        OrderMessage first = new OrderMessage(OrderMessage.Type.ORDER_EMAIL_CHANGED, ORDER, "1");
        assertEquals(List.of(first, first), events.published, "its mail claim keeps it to one mail");
    }

    @Test
    void theAddressAsOrderedSentBackChangesNothingAndMailsNobody() {
        String read = bounced(OrderStatus.PAID);

        service.changeEmail(STAFF, ORDER, new EmailAddress("ADA@gmial.com"), read);

        assertEquals(0, book.emailChangesWritten);
        assertTrue(book.trail.actions.isEmpty());
        assertTrue(events.published.isEmpty());
    }

    @Test
    void aPageThatReadAnotherAddressIsAConflictAndWritesNothing() {
        String read = bounced(OrderStatus.PAID);
        service.changeEmail(STAFF, ORDER, RIGHT, read);
        events.published.clear();

        var stale = assertThrows(ConflictException.class,
                () -> service.changeEmail(STAFF, ORDER, new EmailAddress("ada.lovelace@gmail.com"), read));

        assertTrue(stale.getMessage().contains("since the page read it"), stale.getMessage());
        assertEquals("ada@gmail.com", book.orders.get(ORDER).get("customerEmail"));
        assertEquals(1, book.emailChangesWritten);
        assertTrue(events.published.isEmpty());
    }

    @Test
    void anAddressChangedBetweenTheReadAndTheWriteIsAConflictAndWritesNothing() {
        String read = bounced(OrderStatus.PAID);
        // The customer's own account moved the order to another address meanwhile.
        book.beforeEmailChange = () -> book.orders.get(ORDER).put("customerEmail", "ada@proton.me");

        assertThrows(ConflictException.class, () -> service.changeEmail(STAFF, ORDER, RIGHT, read));

        assertEquals("ada@proton.me", book.orders.get(ORDER).get("customerEmail"));
        assertEquals(0, book.emailChangesWritten);
        assertTrue(book.trail.actions.isEmpty());
        assertTrue(events.published.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {MailSuppressions.BOUNCE, MailSuppressions.COMPLAINT})
    void anAddressTheShopsMailBouncedFromOrWasComplainedAboutIsRefusedBeforeAnythingIsWritten(String reason) {
        String read = bounced(OrderStatus.PAID);
        suppressions.reasons.put("ada@gmail.com", reason);

        var refused = assertThrows(ConflictException.class, () -> service.changeEmail(STAFF, ORDER, RIGHT, read));

        assertTrue(refused.getMessage().contains(reason.equals(MailSuppressions.BOUNCE) ? "bounced" : "spam"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("Nothing was changed"), refused.getMessage());
        assertFalse(refused.getMessage().contains("ada@gmail.com"), "the problem names no address");
        assertEquals("ada@gmial.com", book.orders.get(ORDER).get("customerEmail"));
        assertEquals(0, book.emailChangesWritten);
        assertTrue(events.published.isEmpty());
    }

    @Test
    void anAddressOnlyUnsubscribedFromTheNewsletterStillTakesTheOrdersMail() {
        String read = bounced(OrderStatus.PAID);
        suppressions.reasons.put("ada@gmail.com", "unsubscribe");

        service.changeEmail(STAFF, ORDER, RIGHT, read);

        assertEquals(1, book.emailChangesWritten);
    }

    @Test
    void theTrailSaysWhenTheOldAddressHadNotBounced() {
        String read = bounced(OrderStatus.PAID);
        suppressions.reasons.clear();

        service.changeEmail(STAFF, ORDER, RIGHT, read);

        assertEquals(Map.of("change", 0, "bounced", false), map(book.trail.actions.get(0).before()));
    }

    @Test
    void aSecondCorrectionIsCountedAndQueuedUnderItsOwnNumber() {
        String read = bounced(OrderStatus.PAID);
        service.changeEmail(STAFF, ORDER, RIGHT, read);

        service.changeEmail(STAFF, ORDER, new EmailAddress("ada.king@gmail.com"), version());

        assertEquals(2L, book.orders.get(ORDER).get("emailChanges"));
        assertEquals(List.of(new OrderMessage(OrderMessage.Type.ORDER_EMAIL_CHANGED, ORDER, "1"),
                new OrderMessage(OrderMessage.Type.ORDER_EMAIL_CHANGED, ORDER, "2")), events.published);
        assertEquals(Map.of("change", 1, "bounced", false), map(book.trail.actions.get(1).before()));
    }

    @ParameterizedTest
    @EnumSource(value = OrderStatus.class, names = {"FAILED", "PENDING_PAYMENT", "NEEDS_ATTENTION"})
    void anOrderThatWasNeverConfirmedIsRefusedSayingWhy(OrderStatus status) {
        String read = bounced(status);

        var refused = assertThrows(ConflictException.class, () -> service.changeEmail(STAFF, ORDER, RIGHT, read));

        assertTrue(refused.getMessage().contains("cannot be changed"), refused.getMessage());
        if (status == OrderStatus.NEEDS_ATTENTION) {
            assertTrue(refused.getMessage().contains("accept it first"), refused.getMessage());
        }
        assertEquals(0, book.emailChangesWritten);
        assertTrue(events.published.isEmpty());
    }

    @Test
    void anOrderErasedOnRequestIsRefused() {
        String read = bounced(OrderStatus.PAID);
        book.orders.get(ORDER).put("erasedAt", CHANGED_AT.minusSeconds(60).toString());
        book.orders.get(ORDER).put("shippingKeptUntilDone", CHANGED_AT.minusSeconds(60).toString());

        var refused = assertThrows(ConflictException.class, () -> service.changeEmail(STAFF, ORDER, RIGHT, read));

        assertTrue(refused.getMessage().contains("erased"), refused.getMessage());
        assertEquals(0, book.emailChangesWritten);
    }

    @Test
    void withoutTheVersionReadOrForAnUnknownOrderNothingIsWritten() {
        bounced(OrderStatus.PAID);

        var noVersion = assertThrows(InvalidInputException.class, () -> service.changeEmail(STAFF, ORDER, RIGHT, " "));
        assertEquals("emailVersion", noVersion.field());
        assertThrows(NotFoundException.class, () -> service.changeEmail(STAFF, "cs_test_never_ordered", RIGHT, "x"));
        assertThrows(NotFoundException.class, () -> service.changeEmail(STAFF, "MAIL#" + ORDER, RIGHT, "x"));

        assertEquals(0, book.emailChangesWritten);
        assertTrue(events.published.isEmpty());
    }
}
