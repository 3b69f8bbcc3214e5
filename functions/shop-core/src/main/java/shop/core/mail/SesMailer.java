package shop.core.mail;

import java.util.Map;
import shop.core.config.Env;
import shop.core.email.EmailAddress;
import shop.core.snapstart.Priming;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.Content;
import software.amazon.awssdk.services.sesv2.model.MessageHeader;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;

/**
 * {@link Mailer} through SES v2 SendEmail (simple content: subject, HTML and text, custom
 * headers), in the shop's configuration set.
 */
public final class SesMailer implements Mailer {
    private final SesV2Client ses;
    private final String fromAddress;
    private final String configurationSet;

    public SesMailer(SesV2Client ses, String fromAddress, String configurationSet) {
        this.ses = ses;
        this.fromAddress = fromAddress;
        this.configurationSet = configurationSet == null || configurationSet.isBlank() ? null : configurationSet;
    }

    /**
     * From the function's environment: {@code SENDER_ADDRESS} (required) and {@code SES_CONFIGURATION_SET}
     * (empty or absent for none), as template.yaml sets them on every function that mails.
     */
    public static SesMailer fromEnvironment(SesV2Client ses, Env env) {
        return new SesMailer(ses, env.require("SENDER_ADDRESS"), env.optional("SES_CONFIGURATION_SET").orElse(null));
    }

    /**
     * The owner's address from the function's environment: {@code SHOP_OWNER_ADDRESS}, or the sender address when
     * ShopOwnerAddress is left empty (template.yaml says so).
     */
    public static EmailAddress shopOwner(Env env) {
        return new EmailAddress(env.optional("SHOP_OWNER_ADDRESS").orElseGet(() -> env.require("SENDER_ADDRESS")));
    }

    @Override
    public String send(Email email) {
        return ses.sendEmail(request(email)).messageId();
    }

    /** A SendEmail through the whole client, stopped before it is sent: nothing goes out (see {@link Priming#unsent}). */
    public void prime() {
        Email never = new Email(new EmailAddress("priming@example.invalid"), "Priming", "<p>Priming</p>", "Priming",
                Map.of("List-Unsubscribe", "<https://priming.invalid/unsubscribe>"));
        Priming.unsent(override -> ses.sendEmail(request(never).toBuilder().overrideConfiguration(override).build()));
    }

    private SendEmailRequest request(Email email) {
        return SendEmailRequest.builder()
                .fromEmailAddress(fromAddress)
                .destination(d -> d.toAddresses(email.to().value()))
                .content(c -> c.simple(m -> {
                    m.subject(utf8(email.subject())).body(b -> b.html(utf8(email.html())).text(utf8(email.text())));
                    if (!email.headers().isEmpty()) {
                        m.headers(email.headers().entrySet().stream()
                                .map(h -> MessageHeader.builder().name(h.getKey()).value(h.getValue()).build())
                                .toList());
                    }
                }))
                .configurationSetName(configurationSet)
                .build();
    }

    private static Content utf8(String data) {
        return Content.builder().data(data).charset("UTF-8").build();
    }
}
