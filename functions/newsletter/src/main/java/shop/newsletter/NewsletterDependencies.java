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
 * The newsletter's services wired to real AWS clients, from the variables template.yaml sets,
 * and the SnapStart priming of their table's write paths, of the signup queue and of SES.
 */
record NewsletterDependencies(NewsletterService service, Runnable primeStores) {

    /** The API function's: it queues signups and sends no mail. */
    static NewsletterDependencies fromEnvironment(Env env) {
        var aws = new AwsClients(env);
        var dynamo = aws.dynamo();
        String table = env.require("SUBSCRIBERS_TABLE");
        Clock clock = Clock.systemUTC();
        var parameters = new SsmSecureParameters(aws.ssm());
        var queue = new SqsSignupQueue(aws.sqs(), env.require("SIGNUP_QUEUE_URL"));
        var service = new NewsletterService(
                new DynamoSubscriberStore(dynamo, table, clock),
                queue,
                new DynamoRateLimiter(dynamo, table, clock),
                AddressHasher.fromEnvironment(env, parameters),
                env.require("POLICY_VERSION"),
                clock);
        return new NewsletterDependencies(service, () -> {
            Priming.dynamo(dynamo, table, "pk", "PRIMING#never-written",
                    Priming.DynamoCall.GET, Priming.DynamoCall.PUT, Priming.DynamoCall.UPDATE, Priming.DynamoCall.DELETE);
            Priming.unsent(queue::prime);
            parameters.prime();
        });
    }

    /** The signup worker's: the per-address limit, the pending subscriber, its tokens and the mail. */
    record Worker(SignupService service, Runnable primeAdapters) {

        static Worker fromEnvironment(Env env) {
            var aws = new AwsClients(env);
            var dynamo = aws.dynamo();
            String table = env.require("SUBSCRIBERS_TABLE");
            Clock clock = Clock.systemUTC();
            var parameters = new SsmSecureParameters(aws.ssm());
            var mailer = SesMailer.fromEnvironment(aws.ses(), env);
            var service = new SignupService(
                    new DynamoSubscriberStore(dynamo, table, clock),
                    mailer,
                    new DynamoRateLimiter(dynamo, table, clock),
                    AddressHasher.fromEnvironment(env, parameters),
                    new NewsletterMails(env.optional("SHOP_NAME").orElse("Our shop")),
                    clock);
            return new Worker(service, () -> {
                Priming.dynamo(dynamo, table, "pk", "PRIMING#never-written",
                        Priming.DynamoCall.GET, Priming.DynamoCall.PUT, Priming.DynamoCall.UPDATE);
                mailer.prime();
                parameters.prime();
            });
        }
    }
}
