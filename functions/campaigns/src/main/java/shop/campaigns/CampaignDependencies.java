package shop.campaigns;

import java.time.Clock;
import shop.campaigns.feedback.DynamoMailFeedback;
import shop.campaigns.feedback.FeedbackService;
import shop.core.aws.AwsClients;
import shop.core.aws.SsmSecureParameters;
import shop.core.config.Env;
import shop.core.dynamo.DynamoAuditTrail;
import shop.core.dynamo.DynamoSuppressionList;
import shop.core.email.EmailAddress;
import shop.core.mail.BackOfficeLinks;
import shop.core.mail.SesMailer;
import shop.core.security.AddressHasher;
import shop.core.snapstart.Priming;

/**
 * The four functions of this jar wired to DynamoDB, SQS and SES from the variables template.yaml
 * sets, each with its SnapStart priming: calls that change nothing (reads of keys no item has,
 * writes refused by their condition, SES and SQS calls stopped before they are sent).
 */
public final class CampaignDependencies {
    private CampaignDependencies() {
    }

    /** A service and the priming of its adapters. */
    public record Wired<T>(T service, Runnable prime) {
    }

    private static final String NEVER = "priming-never-written";

    /** {@code apiBaseUrl}: where campaign mail's links point; the owner's routes take it from each request instead. */
    static CampaignMails mails(Env env, String apiBaseUrl) {
        return new CampaignMails(env.require("SHOP_NAME"), env.optional("SHOP_POSTAL_ADDRESS").orElse(""), apiBaseUrl);
    }

    static Wired<CampaignService> owner(Env env) {
        var aws = new AwsClients(env);
        var dynamo = aws.dynamo();
        Clock clock = Clock.systemUTC();
        String campaigns = env.require("CAMPAIGNS_TABLE");
        var mailer = SesMailer.fromEnvironment(aws.ses(), env);
        // Every change is written with its trail line, in one transaction of the campaigns store;
        // the trail itself records only a test send's line, after SES took the mail.
        var trail = new DynamoAuditTrail(dynamo, env.require("ADMIN_AUDIT_TABLE"), clock);
        var store = new DynamoCampaignStore(dynamo, campaigns, trail, clock);
        var subscribers = new DynamoSubscribers(dynamo, env.require("SUBSCRIBERS_TABLE"));
        return new Wired<>(new CampaignService(
                store,
                subscribers,
                subscribers,
                mails(env, ""),
                mailer,
                new EmailAddress(env.require("OWNER_EMAIL")),
                trail,
                clock), () -> {
                    Priming.dynamo(dynamo, campaigns, "pk", "CAMPAIGN#" + NEVER, Priming.DynamoCall.GET);
                    store.prime(NEVER);
                    store.list(1, java.util.Optional.empty());
                    // The audience's count as a Query of the index that counts nothing.
                    subscribers.prime();
                    trail.prime();
                    mailer.prime();
                });
    }

    static Wired<DispatchService> dispatch(Env env) {
        var aws = new AwsClients(env);
        var dynamo = aws.dynamo();
        Clock clock = Clock.systemUTC();
        String campaigns = env.require("CAMPAIGNS_TABLE");
        var store = new DynamoCampaignStore(dynamo, campaigns, clock);
        var queue = new SqsRecipientQueue(aws.sqs(), env.require("RECIPIENTS_QUEUE_URL"));
        return new Wired<>(new DispatchService(store,
                new DynamoSubscribers(dynamo, env.require("SUBSCRIBERS_TABLE")), queue, clock), () -> {
                    Priming.dynamo(dynamo, campaigns, "pk", "CAMPAIGN#" + NEVER, Priming.DynamoCall.GET,
                            Priming.DynamoCall.UPDATE);
                    // Nothing is due at the epoch: the Query finds nothing.
                    store.due(java.time.Instant.EPOCH);
                    Priming.unsent(override -> queue.prime(override));
                });
    }

    /**
     * {@code SES_MAX_SEND_RATE} is the account's SES maximum send rate (mails a second);
     * {@code SENDER_CONCURRENCY} how many senders run at most (the event source's
     * MaximumConcurrency): each keeps to its share. {@code RECIPIENTS_MAX_RECEIVE_COUNT} is the
     * recipients queue's {@code maxReceiveCount} (the same mapping in template.yaml sets both): on a
     * message's last receive, a recipient that fails is counted failed.
     */
    static Wired<SendService> send(Env env) {
        var aws = new AwsClients(env);
        var dynamo = aws.dynamo();
        Clock clock = Clock.systemUTC();
        String subscribers = env.require("SUBSCRIBERS_TABLE");
        double rate = Double.parseDouble(env.require("SES_MAX_SEND_RATE"))
                / Integer.parseInt(env.optional("SENDER_CONCURRENCY").orElse("1"));
        String campaigns = env.require("CAMPAIGNS_TABLE");
        var mailer = new SesCampaignMailer(aws.ses(), env.require("SENDER_ADDRESS"),
                env.optional("SES_CONFIGURATION_SET").orElse(null));
        return new Wired<>(new SendService(
                new DynamoCampaignStore(dynamo, campaigns, clock),
                new DynamoSendRecords(dynamo, campaigns),
                new DynamoSuppressionList(dynamo, subscribers, clock),
                new DynamoSubscribers(dynamo, subscribers),
                mails(env, env.optional("PUBLIC_API_URL").orElseGet(() -> env.require("API_GATEWAY_URL"))),
                mailer,
                new Pacer(rate, Pacer.SYSTEM),
                clock,
                Integer.parseInt(env.require("RECIPIENTS_MAX_RECEIVE_COUNT"))), () -> {
                    // Each mail's outcome is a transaction with the campaign's counters.
                    Priming.dynamo(dynamo, campaigns, "pk", "CAMPAIGN#" + NEVER, Priming.DynamoCall.GET,
                            Priming.DynamoCall.UPDATE, Priming.DynamoCall.TRANSACT);
                    Priming.dynamo(dynamo, subscribers, "pk", "SUPPRESSION#" + NEVER, Priming.DynamoCall.GET);
                    Priming.dynamo(dynamo, subscribers, "pk", "SUBSCRIBER#" + NEVER, Priming.DynamoCall.UPDATE);
                    Priming.unsent(mailer::prime);
                });
    }

    public static Wired<FeedbackService> feedback(Env env) {
        var aws = new AwsClients(env);
        var dynamo = aws.dynamo();
        Clock clock = Clock.systemUTC();
        String campaigns = env.require("CAMPAIGNS_TABLE");
        String subscribers = env.require("SUBSCRIBERS_TABLE");
        var mailer = SesMailer.fromEnvironment(aws.ses(), env);
        var parameters = new SsmSecureParameters(aws.ssm());
        return new Wired<>(new FeedbackService(
                new DynamoMailFeedback(dynamo, campaigns, subscribers),
                mailer,
                SesMailer.shopOwner(env),
                AddressHasher.fromEnvironment(env, parameters),
                clock,
                BackOfficeLinks.fromEnvironment(env)), () -> {
                    Priming.dynamo(dynamo, subscribers, "pk", "SUBSCRIBER#" + NEVER, Priming.DynamoCall.GET);
                    Priming.dynamo(dynamo, campaigns, "pk", "FEEDBACK#" + NEVER, Priming.DynamoCall.PUT);
                    Priming.dynamo(dynamo, campaigns, "pk", "CAMPAIGN#" + NEVER, Priming.DynamoCall.TRANSACT);
                    mailer.prime();
                    parameters.prime();
                });
    }
}
