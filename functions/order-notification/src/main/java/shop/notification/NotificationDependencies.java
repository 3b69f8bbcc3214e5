package shop.notification;

import java.time.Clock;
import shop.commerce.orders.DynamoOrderAccounts;
import shop.commerce.orders.DynamoOrderStore;
import shop.core.aws.AwsClients;
import shop.core.config.Env;
import shop.core.snapstart.Priming;
import shop.core.mail.BackOfficeLinks;
import shop.core.mail.SesMailer;

/**
 * The notification service wired to DynamoDB and SES, from the variables template.yaml sets, and
 * the SnapStart priming of its mail records and of SES.
 */
record NotificationDependencies(OrderNotificationService service, Runnable primeAdapters) {

    static NotificationDependencies fromEnvironment(Env env) {
        var aws = new AwsClients(env);
        var dynamo = aws.dynamo();
        String table = env.require("ORDERS_TABLE");
        Clock clock = Clock.systemUTC();
        var mailer = SesMailer.fromEnvironment(aws.ses(), env);
        var service = new OrderNotificationService(
                new DynamoOrderStore(dynamo, table, clock),
                new DynamoShipments(dynamo, table),
                new DynamoOrderAccounts(dynamo, table, clock),
                new DynamoMailClaims(dynamo, table),
                mailer,
                new OrderMails(env.optional("SHOP_NAME").orElse("Our shop"), BackOfficeLinks.fromEnvironment(env)),
                SesMailer.shopOwner(env),
                clock);
        // Only MAIL# items may be written by this function (template.yaml): its claims.
        return new NotificationDependencies(service, () -> {
            Priming.dynamo(dynamo, table, "pk", "MAIL#priming-never-written",
                    Priming.DynamoCall.GET, Priming.DynamoCall.UPDATE, Priming.DynamoCall.DELETE);
            mailer.prime();
        });
    }
}
