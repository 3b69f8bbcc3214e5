package shop.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import shop.commerce.orders.OrderMessage;
import shop.commerce.orders.OrderStatus;
import shop.commerce.testing.Crash;
import shop.commerce.testing.Crash.At;
import shop.commerce.testing.InMemoryOrderAccounts;
import shop.commerce.testing.InMemoryOrderStore;
import shop.local.stack.MutableClock;
import shop.commerce.testing.Samples;
import shop.core.email.EmailAddress;
import shop.core.mail.Mailer;

/**
 * The notification stopped at each write boundary of one mail (claim → SES send → mark sent)
 * for the first mail of an order, then its message received again as SQS redelivers it: after
 * the queue's VisibilityTimeout (template.yaml, 180 s), which is longer than a claim takes to go
 * stale (2 minutes). Each ends with one mail of each kind, except the stop between SES accepting
 * the mail and marking it sent, which SECURITY.md lists as a known gap.
 */
class OrderNotificationWriteBoundariesTest {
    private static final String ORDER = "cs_test_boundary";
    private static final String CUSTOMER = "ada@example.com";
    private static final String OWNER = "owner@shop.example.com";
    private static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(180);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final InMemoryOrderStore orders = new InMemoryOrderStore();
    private final InMemoryMailClaims claims = new InMemoryMailClaims();
    private final RecordingMailer mailer = new RecordingMailer();

    static Stream<Arguments> boundaries() {
        return Stream.of(
                Arguments.of(MailClaims.class, "claim", At.INSTEAD_OF),
                Arguments.of(MailClaims.class, "claim", At.RIGHT_AFTER),
                Arguments.of(Mailer.class, "send", At.INSTEAD_OF),
                Arguments.of(MailClaims.class, "markSent", At.RIGHT_AFTER));
    }

    @ParameterizedTest(name = "stopped {2} {0}.{1}")
    @MethodSource("boundaries")
    void theRedeliveredMessageSendsEachMailOnce(Class<?> port, String method, At at) {
        OrderNotificationService service = service(port, method, at);

        assertThrows(Throwable.class, () -> service.handle(paid()));
        clock.advance(VISIBILITY_TIMEOUT);
        service.handle(paid());

        assertEquals(1, mailer.to(CUSTOMER).size());
        assertEquals(1, mailer.to(OWNER).size());
    }

    @Test
    void markingAMailSentFailsAfterSesTookItTheMessageStillSucceedsAndNothingIsSentTwice() {
        OrderNotificationService service = service(MailClaims.class, "markSent", At.INSTEAD_OF);

        service.handle(paid());
        service.handle(paid()); // a duplicate message (a webhook retried after its queue send)

        assertEquals(1, mailer.to(CUSTOMER).size());
        assertEquals(1, mailer.to(OWNER).size());
    }

    @Test
    void knownGap_stoppedBetweenSesAcceptingAndMarkingSentTheRedeliveryMailsAgain() {
        OrderNotificationService service = service(Mailer.class, "send", At.RIGHT_AFTER);

        assertThrows(Crash.Killed.class, () -> service.handle(paid()));
        clock.advance(VISIBILITY_TIMEOUT);
        service.handle(paid());

        assertEquals(2, mailer.to(CUSTOMER).size(), "SES has no idempotency key: the customer gets it twice");
        assertEquals(1, mailer.to(OWNER).size());
    }

    private OrderNotificationService service(Class<?> port, String method, At at) {
        orders.create(Samples.order(ORDER, OrderStatus.PAID, CUSTOMER, "Ada"), 0);
        MailClaims brokenClaims = port == MailClaims.class ? Crash.once(MailClaims.class, claims, method, at) : claims;
        Mailer brokenMailer = port == Mailer.class ? Crash.once(Mailer.class, mailer, method, at) : mailer;
        return new OrderNotificationService(orders, new InMemoryShipments(), new InMemoryOrderAccounts(orders), brokenClaims,
                brokenMailer, new OrderMails("Test Jewelry"),
                new EmailAddress(OWNER), clock);
    }

    private static OrderMessage paid() {
        return new OrderMessage(OrderMessage.Type.ORDER_PAID, ORDER);
    }
}
