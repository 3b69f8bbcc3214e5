package shop.core.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.core.aws.AwsClients;
import shop.core.config.Env;
import shop.core.email.EmailAddress;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.Mailbox;
import shop.local.stack.SentMail;

/** The SES adapter against the SES stand-in: what a customer's mail client would get. */
@ExtendWith(LocalAwsExtension.class)
class SesMailerTest {

    @Test
    void sendsSubjectBothBodiesAndHeadersFromTheShopsAddress(LocalAws aws, Mailbox mailbox) {
        var mailer = new SesMailer(new AwsClients(env(aws)).ses(), "shop@localhost.test", "MailConfigurationSet");

        String messageId = mailer.send(new Email(new EmailAddress("marie@example.com"), "Ihre Bestellung – Nr. 1",
                "<p>Grüße</p>", "Grüße", Map.of("List-Unsubscribe", "<https://shop.example/u?t=1>")));

        SentMail mail = mailbox.to("marie@example.com").get(0);
        assertEquals(messageId, mail.messageId());
        assertEquals("shop@localhost.test", mail.from());
        assertEquals("Ihre Bestellung – Nr. 1", mail.subject());
        assertEquals("<p>Grüße</p>", mail.html());
        assertEquals("Grüße", mail.text());
        assertEquals("<https://shop.example/u?t=1>", mail.headers().get("List-Unsubscribe"));
    }

    @Test
    void aMailWithoutCustomHeadersGoesOutWithoutThem(LocalAws aws, Mailbox mailbox) {
        var mailer = new SesMailer(new AwsClients(env(aws)).ses(), "shop@localhost.test", null);

        mailer.send(new Email(new EmailAddress("jules@example.com"), "Hello", "<p>Hello</p>", "Hello", Map.of()));

        SentMail mail = mailbox.to("jules@example.com").get(0);
        assertEquals("Hello", mail.subject());
        assertFalse(mail.headers().containsKey("List-Unsubscribe"));
    }

    @Test
    void primingRunsASendEmailThroughTheClientButSendsNothing(LocalAws aws, Mailbox mailbox) {
        int before = mailbox.all().size();
        var mailer = new SesMailer(new AwsClients(env(aws)).ses(), "shop@localhost.test", "MailConfigurationSet");

        mailer.prime();

        assertEquals(before, mailbox.all().size());
        assertTrue(mailbox.to("priming@example.invalid").isEmpty());
    }

    private static Env env(LocalAws aws) {
        return Env.of(aws.functionEnvironment("NewsletterSignupFunction", Map.of()));
    }
}
