package shop.newsletter;

import java.time.Clock;
import shop.core.aws.AwsClients;
import shop.core.aws.SsmSecureParameters;
import shop.core.config.Env;
import shop.core.mail.SesMailer;
import shop.core.ratelimit.DynamoRateLimiter;
import shop.core.security.AddressHasher;
import shop.core.snapstart.Priming;

/**
 * The newsletter's service wired to real AWS clients, from the variables template.yaml sets,
 * and the SnapStart priming of its table's write paths and of SES.
 */
record NewsletterDependencies(NewsletterService service, Runnable primeStores) {

    static NewsletterDependencies fromEnvironment(Env env) {
        var aws = new AwsClients(env);
        var dynamo = aws.dynamo();
        String table = env.require("SUBSCRIBERS_TABLE");
        Clock clock = Clock.systemUTC();
        var parameters = new SsmSecureParameters(aws.ssm());
        var mailer = new SesMailer(aws.ses(), env.require("SENDER_ADDRESS"), env.optional("SES_CONFIGURATION_SET").orElse(null));
        var service = new NewsletterService(
                new DynamoSubscriberStore(dynamo, table, clock),
                mailer,
                new DynamoRateLimiter(dynamo, table, clock),
                AddressHasher.fromEnvironment(env, parameters),
                new NewsletterMails(env.optional("SHOP_NAME").orElse("Our shop")),
                env.require("POLICY_VERSION"),
                clock);
        return new NewsletterDependencies(service, () -> {
            Priming.dynamo(dynamo, table, "pk", "PRIMING#never-written",
                    Priming.DynamoCall.GET, Priming.DynamoCall.PUT, Priming.DynamoCall.UPDATE, Priming.DynamoCall.DELETE);
            mailer.prime();
            parameters.prime();
        });
    }
}
