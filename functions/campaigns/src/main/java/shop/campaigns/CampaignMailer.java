package shop.campaigns;

import shop.core.mail.Email;

/** Sends one campaign mail, tagged with its campaign so that SES's events for it find their way back. */
public interface CampaignMailer {
    String send(Email email, String campaignId);
}
