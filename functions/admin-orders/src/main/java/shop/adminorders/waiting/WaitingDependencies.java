package shop.adminorders.waiting;

import java.time.Clock;
import shop.core.aws.AwsClients;
import shop.core.config.Env;
import shop.core.dynamo.DynamoDayClaims;
import shop.core.mail.BackOfficeLinks;
import shop.core.mail.SesMailer;
import shop.core.retention.RetentionSchedule;

/**
 * The morning mail wired to the orders table's indexes, its day claims and SES, from the variables
 * template.yaml sets, and the SnapStart priming of those adapters.
 */
record WaitingDependencies(WaitingService service, Runnable primeAdapters) {
    /** Its day's claim in the orders table, {@code MAIL#ORDERS_WAITING#<yyyy-MM-dd>}: all it may write there (template.yaml). */
    static final String CLAIM_PREFIX = "MAIL#ORDERS_WAITING#";

    static WaitingDependencies fromEnvironment(Env env) {
        var aws = new AwsClients(env);
        var dynamo = aws.dynamo();
        String table = env.require("ORDERS_TABLE");
        Clock clock = Clock.systemUTC();
        var orders = new DynamoWaitingOrders(dynamo, table, clock);
        var claims = new DynamoDayClaims(dynamo, table, CLAIM_PREFIX, RetentionSchedule.ORDERS_WAITING_MAIL_CLAIM);
        var mailer = SesMailer.fromEnvironment(aws.ses(), env);
        var owner = SesMailer.shopOwner(env);
        var service = new WaitingService(orders, claims, mailer,
                new WaitingMail(BackOfficeLinks.fromEnvironment(env)), owner, clock);
        return new WaitingDependencies(service, () -> {
            orders.prime();
            claims.prime();
            mailer.prime();
        });
    }
}
