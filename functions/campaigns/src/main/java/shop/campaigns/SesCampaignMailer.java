package shop.campaigns;

import shop.core.mail.Email;
import shop.campaigns.feedback.SesEvents;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.Content;
import software.amazon.awssdk.services.sesv2.model.MessageHeader;
import software.amazon.awssdk.services.sesv2.model.MessageTag;

/**
 * SES v2 SendEmail, one recipient a call (each mail has its own unsubscribe link, which
 * SendBulkEmail's templates could carry too, at no gain in cost or rate: SES counts recipients,
 * not calls), simple content with the List-Unsubscribe headers, in the configuration set, tagged
 * {@code campaign=<id>} so that the configuration set's events name the campaign.
 */
final class SesCampaignMailer implements CampaignMailer {
    private final SesV2Client ses;
    private final String fromAddress;
    private final String configurationSet;

    SesCampaignMailer(SesV2Client ses, String fromAddress, String configurationSet) {
        this.ses = ses;
        this.fromAddress = fromAddress;
        this.configurationSet = configurationSet == null || configurationSet.isBlank() ? null : configurationSet;
    }

    @Override
    public String send(Email email, String campaignId) {
        return send(email, campaignId, null);
    }

    /** A SendEmail through the whole client with {@code override} (Priming.unsent stops it before it is sent). */
    void prime(software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration override) {
        send(new Email(new shop.core.email.EmailAddress("priming@example.invalid"), "Priming", "<p>Priming</p>",
                "Priming", java.util.Map.of("List-Unsubscribe", "<https://priming.invalid/unsubscribe>")),
                "priming", override);
    }

    private String send(Email email, String campaignId,
                        software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration override) {
        return ses.sendEmail(b -> b.overrideConfiguration(override).fromEmailAddress(fromAddress)
                .destination(d -> d.toAddresses(email.to().value()))
                .content(c -> c.simple(m -> m.subject(utf8(email.subject()))
                        .body(body -> body.html(utf8(email.html())).text(utf8(email.text())))
                        .headers(email.headers().entrySet().stream()
                                .map(h -> MessageHeader.builder().name(h.getKey()).value(h.getValue()).build())
                                .toList())))
                .emailTags(MessageTag.builder().name(SesEvents.CAMPAIGN_TAG).value(campaignId).build())
                .configurationSetName(configurationSet)).messageId();
    }

    private static Content utf8(String data) {
        return Content.builder().data(data).charset("UTF-8").build();
    }
}
