package shop.campaigns;

import java.time.Clock;
import shop.campaigns.feedback.DynamoMailFeedback;
import shop.campaigns.feedback.FeedbackService;
import shop.core.aws.AwsClients;
import shop.core.config.Env;
import shop.core.dynamo.DynamoAuditTrail;
import shop.core.dynamo.DynamoSuppressionList;
import shop.core.email.EmailAddress;
import shop.core.mail.SesMailer;
import shop.core.security.AddressHasher;

/** The four functions of this jar wired to DynamoDB, SQS and SES from the variables template.yaml sets. */
public final class CampaignDependencies {
    private CampaignDependencies() {
    }

    /** {@code apiBaseUrl}: where campaign mail's links point; the owner's routes take it from each request instead. */
    static CampaignMails mails(Env env, String apiBaseUrl) {
        return new CampaignMails(env.require("SHOP_NAME"), env.optional("SHOP_POSTAL_ADDRESS").orElse(""), apiBaseUrl);
    }

    static CampaignService owner(Env env) {
        var aws = new AwsClients(env);
        var dynamo = aws.dynamo();
        Clock clock = Clock.systemUTC();
        return new CampaignService(
                new DynamoCampaignStore(dynamo, env.require("CAMPAIGNS_TABLE"), clock),
                new DynamoSubscribers(dynamo, env.require("SUBSCRIBERS_TABLE")),
                mails(env, ""),
                new SesMailer(aws.ses(), env.require("SENDER_ADDRESS"), env.optional("SES_CONFIGURATION_SET").orElse(null)),
                new EmailAddress(env.require("OWNER_EMAIL")),
                new DynamoAuditTrail(dynamo, env.require("ADMIN_AUDIT_TABLE"), clock),
                clock);
    }

    static DispatchService dispatch(Env env) {
        var aws = new AwsClients(env);
        var dynamo = aws.dynamo();
        Clock clock = Clock.systemUTC();
        return new DispatchService(
                new DynamoCampaignStore(dynamo, env.require("CAMPAIGNS_TABLE"), clock),
                new DynamoSubscribers(dynamo, env.require("SUBSCRIBERS_TABLE")),
                new SqsRecipientQueue(aws.sqs(), env.require("RECIPIENTS_QUEUE_URL")),
                clock);
    }

    /**
     * {@code SES_MAX_SEND_RATE} is the account's SES maximum send rate (mails a second);
     * {@code SENDER_CONCURRENCY} how many senders run at most (the event source's
     * MaximumConcurrency): each keeps to its share.
     */
    static SendService send(Env env) {
        var aws = new AwsClients(env);
        var dynamo = aws.dynamo();
        Clock clock = Clock.systemUTC();
        String subscribers = env.require("SUBSCRIBERS_TABLE");
        double rate = Double.parseDouble(env.require("SES_MAX_SEND_RATE"))
                / Integer.parseInt(env.optional("SENDER_CONCURRENCY").orElse("1"));
        return new SendService(
                new DynamoCampaignStore(dynamo, env.require("CAMPAIGNS_TABLE"), clock),
                new DynamoSendRecords(dynamo, env.require("CAMPAIGNS_TABLE")),
                new DynamoSuppressionList(dynamo, subscribers, clock),
                new DynamoSubscribers(dynamo, subscribers),
                mails(env, env.optional("PUBLIC_API_URL").orElseGet(() -> env.require("API_GATEWAY_URL"))),
                new SesCampaignMailer(aws.ses(), env.require("SENDER_ADDRESS"),
                        env.optional("SES_CONFIGURATION_SET").orElse(null)),
                new Pacer(rate, Pacer.SYSTEM),
                clock);
    }

    public static FeedbackService feedback(Env env) {
        var aws = new AwsClients(env);
        Clock clock = Clock.systemUTC();
        String sender = env.require("SENDER_ADDRESS");
        return new FeedbackService(
                new DynamoMailFeedback(aws.dynamo(), env.require("CAMPAIGNS_TABLE"), env.require("SUBSCRIBERS_TABLE")),
                new SesMailer(aws.ses(), sender, env.optional("SES_CONFIGURATION_SET").orElse(null)),
                new EmailAddress(env.optional("SHOP_OWNER_ADDRESS").orElse(sender)),
                new AddressHasher(env.require("ADDRESS_HASH_KEY")),
                clock);
    }
}
