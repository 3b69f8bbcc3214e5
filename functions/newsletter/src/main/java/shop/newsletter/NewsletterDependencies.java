package shop.newsletter;

import java.time.Clock;
import shop.core.aws.AwsClients;
import shop.core.config.Env;
import shop.core.mail.SesMailer;
import shop.core.ratelimit.DynamoRateLimiter;
import shop.core.security.AddressHasher;

/** Wires the newsletter's service to real AWS clients, from the variables template.yaml sets. */
final class NewsletterDependencies {
    private NewsletterDependencies() {
    }

    static NewsletterService fromEnvironment(Env env) {
        var aws = new AwsClients(env);
        var dynamo = aws.dynamo();
        String table = env.require("SUBSCRIBERS_TABLE");
        Clock clock = Clock.systemUTC();
        return new NewsletterService(
                new DynamoSubscriberStore(dynamo, table, clock),
                new SesMailer(aws.ses(), env.require("SENDER_ADDRESS"), env.optional("SES_CONFIGURATION_SET").orElse(null)),
                new DynamoRateLimiter(dynamo, table, clock),
                new AddressHasher(env.require("ADDRESS_HASH_KEY")),
                new NewsletterMails(env.optional("SHOP_NAME").orElse("Our shop")),
                env.require("POLICY_VERSION"),
                clock);
    }
}
