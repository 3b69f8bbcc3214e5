package shop.core.mail;

import java.util.List;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.Body;
import software.amazon.awssdk.services.sesv2.model.Content;
import software.amazon.awssdk.services.sesv2.model.Destination;
import software.amazon.awssdk.services.sesv2.model.EmailContent;
import software.amazon.awssdk.services.sesv2.model.Message;
import software.amazon.awssdk.services.sesv2.model.MessageHeader;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;

/** {@link Mailer} through SES v2, in the shop's configuration set. */
public final class SesMailer implements Mailer {
    private final SesV2Client ses;
    private final String fromAddress;
    private final String configurationSet;

    public SesMailer(SesV2Client ses, String fromAddress, String configurationSet) {
        this.ses = ses;
        this.fromAddress = fromAddress;
        this.configurationSet = configurationSet;
    }

    @Override
    public String send(Email email) {
        List<MessageHeader> headers = email.headers().entrySet().stream()
                .map(h -> MessageHeader.builder().name(h.getKey()).value(h.getValue()).build())
                .toList();
        Message message = Message.builder()
                .subject(utf8(email.subject()))
                .body(Body.builder().html(utf8(email.html())).text(utf8(email.text())).build())
                .headers(headers)
                .build();
        var request = SendEmailRequest.builder()
                .fromEmailAddress(fromAddress)
                .destination(Destination.builder().toAddresses(email.to().value()).build())
                .content(EmailContent.builder().simple(message).build());
        if (configurationSet != null && !configurationSet.isBlank()) {
            request.configurationSetName(configurationSet);
        }
        return ses.sendEmail(request.build()).messageId();
    }

    private static Content utf8(String data) {
        return Content.builder().data(data).charset("UTF-8").build();
    }
}
